// enqueueEmails: many messages in a constant number of statements, with enqueueEmail's rules per message and
// the results in input order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { ValidationError } from '../../errors.ts';
import { enqueueEmails, type EnqueueEmailInput } from './enqueue.ts';
import { messageMeta } from './tracking.ts';

let t: TestApp;
let seq = 0;
let templateId: number;
const topicKey = `batch_${Date.now()}`;
const MJML = '<mjml><mj-body><mj-section><mj-column><mj-text>Hi {{ contact.first_name }}</mj-text></mj-column></mj-section></mj-body></mjml>';

async function contact(opts: { consent?: 'granted' | 'revoked' | null } = {}) {
  const res = await t.api('POST', '/contacts', { email: `batch-${Date.now()}-${++seq}@example.test`, firstName: 'Kim' });
  expect(res.statusCode).toBe(201);
  const c = res.json() as { id: number; email: string };
  const consent = opts.consent === undefined ? 'granted' : opts.consent;
  if (consent) expect((await t.api('POST', '/email/consents', { contactId: c.id, topicKey, status: consent, source: 'form' })).statusCode).toBe(201);
  return c;
}
const input = (contactId: number, extra: Partial<EnqueueEmailInput> = {}): EnqueueEmailInput => ({ workspaceId: 1, contactId, templateId, topicKey, idempotencyKey: `batch-${++seq}`, ...extra });
const count = async (keys: string[]) => (await t.database.pool.query('select count(*)::int as n from email_messages where idempotency_key = any($1)', [keys])).rows[0].n as number;

beforeAll(async () => {
  t = await createTestApp();
  expect((await t.api('POST', '/email/topics', { key: topicKey, name: 'Batch' })).statusCode).toBe(201);
  const res = await t.api('POST', '/email/templates', { name: 'Batch', subject: 'Hello', mjml: MJML });
  expect(res.statusCode).toBe(201);
  templateId = res.json().id;
});
afterAll(() => t?.close());

describe('enqueueEmails', () => {
  it('answers every status of a mixed batch in input order', async () => {
    const ok = await contact();
    const dup = await contact();
    const suppressed = await contact();
    const revoked = await contact({ consent: 'revoked' });
    const never = await contact({ consent: null });
    await t.database.pool.query(`insert into email_suppressions (email, reason, created_by) values ($1, 'bounce', 'test')`, [suppressed.email]);
    const dupKey = `batch-dup-${++seq}`;
    const [earlier] = await t.db.transaction((tx) => enqueueEmails(tx, [input(dup.id, { idempotencyKey: dupKey })]));
    expect(earlier!.status).toBe('queued');

    const batch = [input(ok.id, { contentItemId: 7 }), input(dup.id, { idempotencyKey: dupKey }), input(suppressed.id), input(revoked.id), input(never.id), input(999_999_999)];
    const r = await t.db.transaction((tx) => enqueueEmails(tx, batch));
    // contacts.email is required: no_email is a contact that is not (or no longer) in the workspace.
    expect(r.map((x) => x.status)).toEqual(['queued', 'duplicate', 'suppressed', 'no_consent', 'no_consent', 'no_email']);
    expect(r[1]!.messageId).toBe(earlier!.messageId);
    const { rows } = await t.database.pool.query('select contact_id, content_item_id, program_id from email_messages where id = $1', [r[0]!.messageId]);
    expect(rows[0]).toMatchObject({ contact_id: ok.id, content_item_id: 7 });
    expect(await count(batch.map((b) => b.idempotencyKey))).toBe(2);
  });

  it('treats the same key twice in one batch as one message', async () => {
    const c = await contact();
    const key = `batch-same-${++seq}`;
    const r = await t.db.transaction((tx) => enqueueEmails(tx, [input(c.id, { idempotencyKey: key }), input(c.id, { idempotencyKey: key })]));
    expect(r.map((x) => x.status)).toEqual(['queued', 'duplicate']);
    expect(r[1]!.messageId).toBe(r[0]!.messageId);
    expect(await count([key])).toBe(1);
  });

  it('rejects an unknown template or topic naming the field and the input, writing nothing', async () => {
    const c = await contact();
    const batch = [input(c.id), input(c.id, { templateId: 999_999 }), input(c.id, { topicKey: 'no-such-topic' })];
    const err = await t.db.transaction((tx) => enqueueEmails(tx, batch)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).message).toMatch(/\[1\]\.templateId: email template 999999 does not exist/);
    expect((err as ValidationError).details).toEqual([
      { field: '[1].templateId', message: 'email template 999999 does not exist', index: 1 },
      { field: '[2].topicKey', message: 'email topic "no-such-topic" does not exist', index: 2 },
    ]);
    expect(await count(batch.map((b) => b.idempotencyKey))).toBe(0);
    // A lone input names the bare field.
    await expect(t.db.transaction((tx) => enqueueEmails(tx, [input(c.id, { templateId: 999_999 })]))).rejects.toThrow(/^templateId: /);
    await expect(t.db.transaction((tx) => enqueueEmails(tx, [input(c.id, { idempotencyKey: '' })]))).rejects.toThrow(/idempotencyKey/);
  });

  it('gives two concurrent batches with the same keys one message per key', async () => {
    const cs = [await contact(), await contact(), await contact()];
    const keys = cs.map(() => `batch-race-${++seq}`);
    const batch = cs.map((c, i) => input(c.id, { idempotencyKey: keys[i]! }));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let inserted!: () => void;
    const firstInserted = new Promise<void>((r) => (inserted = r));
    // A inserts and holds its transaction open; B's INSERT then waits on A's keys and finds them after A commits.
    const a = t.db.transaction(async (tx) => {
      const r = await enqueueEmails(tx, batch);
      inserted();
      await gate;
      return r;
    });
    await firstInserted;
    const b = t.db.transaction((tx) => enqueueEmails(tx, [...batch].reverse()));
    setTimeout(release, 300);
    const [ra, rb] = await Promise.all([a, b]);
    expect(ra.map((x) => x.status)).toEqual(['queued', 'queued', 'queued']);
    expect(rb.map((x) => x.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect(rb.map((x) => x.messageId)).toEqual(ra.map((x) => x.messageId).reverse());
    expect(await count(keys)).toBe(3);
  });

  it('costs a constant number of statements whatever the batch size', async () => {
    const cs = await Promise.all(Array.from({ length: 20 }, () => contact()));
    let statements = 0;
    const r = await t.db.transaction(async (tx) => {
      const counting = { execute: (q: Parameters<typeof tx.execute>[0]) => (statements++, tx.execute(q)) } as unknown as typeof tx;
      return enqueueEmails(counting, cs.map((c) => input(c.id)));
    });
    expect(r.every((x) => x.status === 'queued')).toBe(true);
    expect(statements).toBe(1);
  });

  it('stores the content item a caller picked, and opens and clicks attribute to it', async () => {
    const c = await contact();
    const [r] = await t.db.transaction((tx) => enqueueEmails(tx, [input(c.id, { contentItemId: 4242 })]));
    await t.database.pool.query(`update email_messages set status = 'sent' where id = $1`, [r!.messageId]);
    expect((await messageMeta(t.db, r!.messageId!))?.contentItemId).toBe(4242);
  });
});
