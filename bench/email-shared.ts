// Shared by bench/send and bench/click: a topic, a template with three links, N contacts with consent, and N
// messages queued through the batch verb enqueueEmails (500 per call and transaction, as the nurture executor
// queues a batch's emails), on a bench database.
import os from 'node:os';
import { sql } from 'drizzle-orm';
import type { Database } from '../src/db/client.ts';
import { enqueueEmails } from '../src/domains/email/enqueue.ts';
import { compileTemplate } from '../src/domains/email/render.ts';

export const MJML = `<mjml><mj-body><mj-section><mj-column>
  <mj-text>Hi {{ contact.first_name }} at {{ account.name | default: "your company" }},</mj-text>
  <mj-text>Here is the guide we promised: how to run the sales handoff without losing leads.</mj-text>
  <mj-button href="https://example.com/guides/handoff">Read the guide</mj-button>
  <mj-text><a href="https://example.com/pricing">Pricing</a> · <a href="https://example.com/blog">Blog</a> · <a href="{{ unsubscribe_url }}">Unsubscribe</a></mj-text>
</mj-column></mj-section></mj-body></mjml>`;

export async function seedMessages(database: Database, n: number, opts: { smtpPort?: number; baseUrl: string; withDomain?: boolean }): Promise<{ templateId: number; enqueueSeconds: number }> {
  const db = database.db;
  await db.execute(sql`insert into email_settings (workspace_id, from_name, from_email, smtp_host, smtp_port, tracking_base_url)
    values (1, 'Bench', 'news@bench.example', ${opts.smtpPort ? '127.0.0.1' : null}, ${opts.smtpPort ?? 587}, ${opts.baseUrl})`);
  const topic = await db.execute<{ id: number }>(sql`insert into email_topics (workspace_id, key, name) values (1, 'news', 'News') returning id`);
  const html = await compileTemplate({ subject: 'Hi {{ contact.first_name }}', mjml: MJML });
  const t = await db.execute<{ id: number }>(sql`insert into email_templates (workspace_id, name, subject, mjml, compiled_html, topic_id) values (1, 'bench', 'Hi {{ contact.first_name }}', ${MJML}, ${html}, ${topic.rows[0]!.id}) returning id`);
  const templateId = t.rows[0]!.id;
  await db.execute(sql`insert into contacts (workspace_id, email, first_name, last_name) select 1, 'c' || g || '@bench.example', 'First' || g, 'Last' || g from generate_series(1, ${n}) g`);
  await db.execute(sql`insert into email_consents (workspace_id, contact_id, topic_id, status, source, recorded_by) select 1, id, ${topic.rows[0]!.id}, 'granted', 'bench', 'bench' from contacts`);
  const { rows } = await db.execute<{ id: number }>(sql`select id from contacts order by id`);
  const t0 = performance.now();
  for (let i = 0; i < rows.length; i += 500) {
    await db.transaction(async (tx) => {
      const batch = rows.slice(i, i + 500);
      const res = await enqueueEmails(tx, batch.map((r) => ({ workspaceId: 1, contactId: Number(r.id), templateId, topicKey: 'news', idempotencyKey: `bench:${r.id}`, programId: 'bench', campaignId: 'bench' })));
      const bad = res.findIndex((x) => x.status !== 'queued');
      if (bad >= 0) throw new Error(`enqueue ${batch[bad]!.id}: ${res[bad]!.status}`);
    });
  }
  return { templateId, enqueueSeconds: (performance.now() - t0) / 1000 };
}

export function loadAverage(): string {
  return os.loadavg().map((x) => x.toFixed(1)).join(' ');
}
