// Secrets at rest: after creating users (passwords), sessions, API keys, source write keys and webhook endpoints
// (signing secrets, one rotation), and after the secrets travelled through every path that stores request data
// (tracking events, rejected tracking messages, the audit log, failed sign-ins), a dump of every table in the
// database contains none of them in plaintext. Passwords are scrypt/argon-style hashes, keys and session tokens
// sha256 hashes, webhook secrets AES-256-GCM encrypted with a key from configuration (not in the database).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../app.ts';

const WEBHOOK_SECRET_KEY = 'a'.repeat(16) + 'b'.repeat(16) + 'c'.repeat(16) + 'd'.repeat(16);
let t: TestApp;
const secrets: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp({ config: { WEBHOOKS_ALLOW_PRIVATE: true, WEBHOOK_SECRET_KEY } });
  const admin = await t.as('admin');
  const basic = (key: string) => ({ authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`, 'content-type': 'application/json' });

  // Users: created through the API (audited), one changes password, one signs in, one sign-in fails.
  secrets.createdPassword = 'Created-Password-Plain-7f3a91';
  const created = await t.api('POST', '/users', { email: 'new.user@example.com', name: 'New User', role: 'sales', password: secrets.createdPassword });
  expect(created.statusCode).toBe(201);
  secrets.changedPassword = 'Changed-Password-Plain-55e0c2';
  expect((await t.api('PATCH', `/users/${created.json().id}`, { password: secrets.changedPassword })).statusCode).toBe(200);
  const login = await t.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'new.user@example.com', password: secrets.changedPassword } });
  expect(login.statusCode).toBe(200);
  secrets.sessionToken = decodeURIComponent(String(([] as unknown[]).concat(login.headers['set-cookie'])[0]).split(';')[0]!.split('=')[1]!);
  secrets.wrongPassword = 'Wrong-Password-Plain-c0ffee';
  expect((await t.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'new.user@example.com', password: secrets.wrongPassword } })).statusCode).toBe(401);
  const seeded = await t.makeUser('viewer');
  secrets.seededPassword = seeded.password;

  // API keys.
  const key = await t.api('POST', '/api-keys', { name: 'CRM sync', role: 'marketing' });
  expect(key.statusCode).toBe(201);
  secrets.apiKey = key.json().key;
  secrets.testKey = admin.authorization!.slice(7);

  // Source write keys, used in the Authorization header and in the body, with accepted and rejected messages.
  const source = await t.api('POST', '/sources', { name: 'Website' });
  expect(source.statusCode).toBe(201);
  secrets.writeKey = source.json().writeKey;
  const track = (payload: string, headers: Record<string, string> = { 'content-type': 'application/json' }) => t.inject({ method: 'POST', url: '/v1/track', headers, payload });
  expect((await track(JSON.stringify({ writeKey: secrets.writeKey, userId: 'u1', event: 'Signed Up', properties: { plan: 'pro' } }))).statusCode).toBe(200);
  expect((await track(JSON.stringify({ userId: 'u1', event: 'Viewed', properties: {} }), basic(secrets.writeKey))).statusCode).toBe(200);
  // Rejected messages are kept for the live debugger: with the key in the body…
  expect((await track(JSON.stringify({ writeKey: secrets.writeKey, event: 'No identity' }))).statusCode).toBe(400);
  // …in a batch…
  const batch = await t.inject({ method: 'POST', url: '/v1/batch', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ writeKey: secrets.writeKey, batch: [{ type: 'track', event: 'x' }, { type: 'track', userId: 'u2', event: 'ok', writeKey: secrets.writeKey }] }) });
  expect(batch.statusCode).toBe(200);
  // …and as broken JSON (kept as a text preview).
  expect((await track(`{"writeKey":"${secrets.writeKey}", "event": `, basic(secrets.writeKey))).statusCode).toBe(400);

  // Webhook endpoints: created (secret shown once) and rotated (old and new secrets both stored).
  const hook = await t.api('POST', '/webhooks', { url: 'http://127.0.0.1:9/hook', description: 'receiver', eventTypes: ['contact.created'] });
  expect(hook.statusCode).toBe(201);
  secrets.webhookSecret = hook.json().secret;
  const rotated = await t.api('POST', `/webhooks/${hook.json().endpoint.id}/rotate-secret`);
  expect(rotated.statusCode).toBe(200);
  secrets.rotatedWebhookSecret = rotated.json().secret;
  expect(secrets.webhookSecret).toMatch(/^whsec_/);
});
afterAll(() => t.close());

/** Every row of every table in every schema (public, pg-boss …) as JSON text. */
async function dump(): Promise<Map<string, string>> {
  const { rows: tables } = await t.database.pool.query(
    `select quote_ident(schemaname) || '.' || quote_ident(tablename) as t from pg_tables where schemaname not in ('pg_catalog', 'information_schema') order by 1`,
  );
  const out = new Map<string, string>();
  for (const { t: table } of tables) {
    const { rows } = await t.database.pool.query(`select coalesce(string_agg(row_to_json(x)::text, E'\\n'), '') as text from ${table} x`);
    out.set(table, rows[0].text as string);
  }
  return out;
}

/** The forms a secret could be stored in: as is, base64, hex, URL-encoded. */
function forms(secret: string): string[] {
  const raw = secret.startsWith('whsec_') ? Buffer.from(secret.slice(6), 'base64') : Buffer.from(secret);
  return [...new Set([secret, Buffer.from(secret).toString('base64'), raw.toString('hex'), encodeURIComponent(secret), secret.slice(6)].filter((s) => s.length >= 12))];
}

describe('secrets at rest', () => {
  it('dumps every table', async () => {
    const d = await dump();
    for (const table of ['public.users', 'public.api_keys', 'public.sources', 'public.webhook_endpoints', 'public.audit_log', 'public.tracking_rejections', 'public.sessions']) {
      expect([...d.keys()]).toContain(table);
    }
    expect(d.get('public.tracking_rejections')).not.toBe('');
    expect(d.get('public.webhook_endpoints')).toMatch(/secret_enc/);
  });

  it('stores no plaintext password, session token, API key, write key or webhook secret in any table', async () => {
    const d = await dump();
    const found: string[] = [];
    for (const [name, secret] of Object.entries(secrets)) {
      for (const form of forms(secret)) {
        for (const [table, text] of d) if (text.includes(form)) found.push(`${name} in ${table}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('keeps the webhook encryption key out of the database', async () => {
    const d = await dump();
    const all = [...d.values()].join('\n');
    expect(all).not.toContain(WEBHOOK_SECRET_KEY);
    expect(all).not.toContain(Buffer.from(WEBHOOK_SECRET_KEY, 'hex').toString('base64'));
  });

  it('stores only identifying prefixes and hashes of keys', async () => {
    const { rows } = await t.database.pool.query('select prefix, key_hash from api_keys');
    for (const r of rows) expect(secrets.apiKey).not.toBe(r.key_hash);
    const { rows: users } = await t.database.pool.query('select password_hash from users');
    for (const u of users) expect(String(u.password_hash)).not.toMatch(/Password-Plain/);
  });
});
