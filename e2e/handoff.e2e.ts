// The sales handoff end to end: a contact's events arrive through /v1/batch, the scoring worker scores them
// and the lifecycle rules move the contact up to sales-ready under an approved definition; the lead is routed
// to a sales rep, who sees it in the bell and the queue, signs in, accepts it, and the contact's timeline
// shows the whole path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETUP_TOKEN, startE2E, type E2E } from './harness.ts';
import { makeSource, send } from '../src/domains/tracking/test-helpers.ts';

describe('sales handoff', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(async () => {
    await e?.close();
  });

  async function login(email: string, password: string): Promise<Record<string, string>> {
    const res = await e.t.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
    expect(res.statusCode).toBe(200);
    const raw = ([] as unknown[]).concat(res.headers['set-cookie']);
    return { cookie: String(raw.find((c) => String(c).startsWith('revloop_session=')) ?? '').split(';')[0]! };
  }
  async function until<T>(what: string, fn: () => Promise<T | null | undefined>, ms = 30_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await fn();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  it('a contact crosses the threshold, lands in the rep’s queue, is accepted, and the timeline shows the path', async () => {
    const { t } = e;
    // The first admin (the app shows the setup screen until one exists).
    const setup = await t.inject({ method: 'POST', url: '/api/v1/setup', payload: { token: SETUP_TOKEN, email: 'admin@example.test', name: 'Ada Admin', password: 'a very long password' } });
    expect(setup.statusCode).toBe(201);
    const marketer = await t.makeUser('marketing');
    const rep = await t.makeUser('sales');
    const other = await t.makeUser('sales');
    const mSession = await login(marketer.email, marketer.password);
    const sSession = await login(rep.email, rep.password);

    // Routing: every lead to the rep. Sales-ready: fit C or better and engagement ≥ 40, approved by both sides.
    const settings = await t.inject({ method: 'PUT', url: '/api/v1/lifecycle/settings', headers: await t.as('admin'), payload: { routing: { mode: 'round_robin', pool: [rep.id], territories: [] } } });
    expect(settings.statusCode).toBe(200);
    const def = await t.api('POST', '/lifecycle/definitions', { rule: { minFitGrade: 'C', minEngagement: 40 }, notes: 'Demo request from a good-fit account' }, mSession);
    expect(def.statusCode).toBe(201);
    expect((await t.api('POST', `/lifecycle/definitions/${def.json().id}/approve`, {}, mSession)).statusCode).toBe(200);
    const active = await t.api('POST', `/lifecycle/definitions/${def.json().id}/approve`, {}, sSession);
    expect(active.json().status).toBe('active');

    // A good-fit contact: VP at a 200-person company, phone given.
    const account = await t.api('POST', '/accounts', { name: 'Globex', domain: 'globex.example', employeeCount: 200 });
    expect(account.statusCode).toBe(201);
    const created = await t.api('POST', '/contacts', { email: 'hank@globex.example', firstName: 'Hank', lastName: 'Scorpio', title: 'VP Operations', phone: '+1 555 0100', accountId: account.json().id, ownerId: other.id });
    expect(created.statusCode).toBe(201);
    const contactId = created.json().id as number;

    // Behaviour: identify, the pricing page, a demo request.
    const src = await makeSource(t);
    const batch = await send(t, src.writeKey, 'batch', {
      batch: [
        { type: 'identify', userId: 'hank-1', traits: { email: 'hank@globex.example' } },
        { type: 'page', userId: 'hank-1', name: 'Pricing', properties: { url: 'https://globex.example/pricing', path: '/pricing', title: 'Pricing' } },
        { type: 'track', userId: 'hank-1', event: 'Demo Requested', properties: { plan: 'team' } },
      ],
    });
    expect(batch.statusCode).toBe(200);

    // The scoring worker moves the contact to sales-ready; the handoff is routed to the rep.
    const handoff = await until('the handoff', async () => {
      const { rows } = await t.database.pool.query('select id, owner_id, routed_by from handoffs where contact_id = $1', [contactId]);
      return rows[0] as { id: number; owner_id: number; routed_by: string } | undefined;
    });
    expect(handoff).toMatchObject({ owner_id: rep.id, routed_by: 'round_robin' });

    // The rep signs in: the bell shows the new lead, the queue has it with the why.
    const { page } = await e.newPage();
    try {
      await page.goto('/login');
      await page.getByLabel('Email').fill(rep.email);
      await page.getByLabel('Password').fill(rep.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL('**/contacts');
      // (the definition's approval requests are in there too)
      await expect.poll(async () => Number(await page.getByTestId('notification-count').textContent())).toBeGreaterThanOrEqual(1);
      await page.getByTestId('notification-bell').click();
      await page.getByRole('menuitem', { name: /New sales-ready lead: Hank Scorpio/ }).click();
      await page.waitForURL(`**/handoff?id=${handoff.id}`);
      const row = page.getByTestId('handoff-row').filter({ hasText: 'Hank Scorpio' });
      await row.waitFor();
      await expect.poll(() => row.textContent()).toMatch(/Due in 2[34] h/);
      const why = page.getByTestId('why-panel');
      await why.getByText('Requested a demo').waitFor();
      await why.getByText('Title: VP, Director or Head of').waitFor();
      expect(await why.textContent()).toContain('Sales-ready definition v1');

      await row.getByRole('button', { name: 'Accept' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Note (optional)').fill('Calling tomorrow');
      await dialog.getByRole('button', { name: 'Accept' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByTestId('decision').filter({ hasText: 'Accepted' }).waitFor();
      await page.getByText('No leads waiting').waitFor();
      expect((await t.database.pool.query('select lifecycle_stage from contacts where id = $1', [contactId])).rows[0].lifecycle_stage).toBe('sales_accepted');

      // The contact's timeline: every stage on the way, ending with the acceptance in the handoff queue.
      await page.goto(`/contacts/${contactId}`);
      const timeline = page.getByTestId('timeline');
      await timeline.waitFor();
      const text = (await timeline.textContent()) ?? '';
      const path = ['Subscriber → Lead', 'Lead → Marketing-qualified', 'Marketing-qualified → Sales-ready', 'Sales-ready → Sales-accepted (in the handoff queue): Calling tomorrow'];
      const at = path.map((p) => text.indexOf(p));
      expect(at.every((i) => i >= 0), `timeline: ${text}`).toBe(true);
      // Newest first: acceptance above sales-ready above MQL above lead.
      expect([...at].sort((a, b) => b - a)).toEqual(at);
    } catch (err) {
      console.error('screenshot:', await e.screenshot(page, 'handoff-failure'));
      throw err;
    }
  });
});
