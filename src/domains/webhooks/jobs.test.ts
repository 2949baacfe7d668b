// The webhook workers on the real job queue: the dispatcher loop delivers without anybody calling it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { startReceiver } from './test-receiver.ts';

let t: TestApp;
let rx: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  t = await createTestApp({ jobs: true, config: { WEBHOOKS_ALLOW_PRIVATE: true } });
  rx = await startReceiver();
});
afterAll(async () => {
  await t.close();
  await rx.close();
});

describe('webhook workers', () => {
  it('deliver a contact.created within a few seconds of the commit', async () => {
    const created = (await t.api('POST', '/webhooks', { url: rx.url('/jobs'), eventTypes: ['contact.created'] })).json();
    const res = await t.api('POST', '/contacts', { email: `jobs-${Date.now()}@example.test` });
    expect(res.statusCode).toBe(201);
    const deadline = Date.now() + 10_000;
    while (rx.received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(rx.received).toHaveLength(1);
    const ev = new Webhook(created.secret).verify(rx.received[0]!.body, rx.received[0]!.headers) as { type: string; data: { contact: { id: number } } };
    expect(ev).toMatchObject({ type: 'contact.created', data: { contact: { id: res.json().id } } });
  });
});
