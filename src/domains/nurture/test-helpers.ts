// Test helpers of the nurture domain: contacts, programs on a simulated clock, and a run-to-quiet loop.
import { randomUUID } from 'node:crypto';
import type { TestApp } from '../../../test/app.ts';
import type { Ctx } from '../../context.ts';
import { SimClock } from './clock.ts';
import { createProgram, setProgramStatus } from './programs.ts';
import { runDue } from './engine.ts';
import { enrolDue } from './enrol.ts';

export async function makeContacts(t: TestApp, n: number, opts: { stage?: string; ownerId?: number | null; tag?: string; properties?: Record<string, unknown> } = {}): Promise<number[]> {
  const tag = opts.tag ?? randomUUID().slice(0, 8);
  const { rows } = await t.database.pool.query(
    `insert into contacts (email, first_name, last_name, lifecycle_stage, owner_id, properties)
     select 'n' || g || '-' || $2 || '-' || substr(md5(random()::text), 1, 6) || '@example.test', 'First' || g, 'Last', $3, $4, $5::jsonb from generate_series(1, $1) g returning id`,
    [n, tag, opts.stage ?? 'lead', opts.ownerId ?? null, JSON.stringify({ cohort: tag, ...(opts.properties ?? {}) })],
  );
  return rows.map((r) => Number(r.id));
}

/** Creates and activates a program (entry runs at once on the simulated clock). */
export async function activeProgram(ctx: Ctx, clock: SimClock, definition: Record<string, unknown>, name = `Program ${randomUUID().slice(0, 8)}`) {
  const p = await createProgram({ ctx, input: { name, definition } });
  return setProgramStatus({ ctx, id: p.id, action: 'activate', clock });
}

export async function runAll(t: TestApp, clock: SimClock): Promise<number> {
  await enrolDue({ db: t.db, clock });
  return runDue({ db: t.db, clock });
}

export async function q<T = any>(t: TestApp, text: string, values: unknown[] = []): Promise<T[]> {
  return (await t.database.pool.query(text, values)).rows as T[];
}

/** An email template and a topic (E's tables), and consent for the given contacts. */
export async function emailSetup(t: TestApp, consentFor: number[] = []): Promise<{ templateId: number; topicKey: string }> {
  const key = `nurture_${randomUUID().slice(0, 8)}`;
  const [topic] = await q(t, `insert into email_topics (key, name) values ($1, $1) returning id`, [key]);
  const [tpl] = await q(t, `insert into email_templates (name, subject, mjml, compiled_html, topic_id) values ($1, 'Hi {{ contact.first_name }}', '<mjml><mj-body></mj-body></mjml>', '<html></html>', $2) returning id`, [`tpl ${key}`, topic.id]);
  if (consentFor.length) {
    await t.database.pool.query(`insert into email_consents (contact_id, topic_id, status, source, recorded_by) select unnest($1::bigint[]), $2, 'granted', 'form', 'test'`, [consentFor, topic.id]);
  }
  return { templateId: tpl.id, topicKey: key };
}

/** A webhook endpoint row (never called in these tests: its secret is a placeholder). */
export async function makeWebhookEndpoint(t: TestApp, description: string | null, eventTypes: string[], url = `https://hooks.example.com/in/${randomUUID()}?token=secret`): Promise<number> {
  const [row] = await q(t, `insert into webhook_endpoints (url, description, event_types, secret_enc) values ($1, $2, $3, 'not-used') returning id`, [url, description, eventTypes]);
  return row.id;
}
