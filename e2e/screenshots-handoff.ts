// Screenshots of the sales handoff screens (queue with the why panel, decision dialogs, notification bell,
// symptoms dashboard, a viewer's read-only queue) for visual review. Self-contained: starts its own
// embedded PostgreSQL and revloop on a random port in a temp data dir, seeds six months of handoffs with a
// simulated clock, then drives chromium.
// Usage: npx node e2e/screenshots-handoff.ts   (PNGs go to screenshots/, git-ignored)
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { eq } from 'drizzle-orm';
import { openShots } from './shots.ts';
import { loadConfig } from '../src/config.ts';
import { startRevloop } from '../src/main.ts';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { connect } from '../src/db/client.ts';
import { systemActor, type Actor, type Ctx } from '../src/context.ts';
import { noJobs } from '../src/jobs.ts';
import { contacts } from '../src/domains/contacts/schema.ts';
import { transitionInTx } from '../src/domains/lifecycle/transition.ts';
import { acceptHandoff, recycleHandoff, rejectHandoff } from '../src/domains/lifecycle/handoff/decide.ts';
import { checkSlaBreaches } from '../src/domains/lifecycle/handoff/sla.ts';
import pino from 'pino';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'revloop-shots-'));
chmodSync(dataDir, 0o755); // PostgreSQL runs as its own user when we are root
const pgDir = path.join(dataDir, 'seed-pg');
const pgServer = await startEmbeddedPostgres({ dataDir: pgDir, database: 'revloop' });
const running = await startRevloop(loadConfig({ DATA_DIR: dataDir, PORT: 0, LOG_LEVEL: 'warn', LOG_PRETTY: false, DATABASE_URL: pgServer.url }, {}), { print: () => {} });
const BASE = running.url;
const database = connect(pgServer.url, { max: 4 });
const db = database.db;
const PASSWORD = 'correct horse battery staple';

const { browser, page, shot, step } = await openShots({ failPrefix: 'ho', settleMs: 600 });

async function api<T>(method: 'GET' | 'POST' | 'PUT', url: string, data?: unknown, p: Page = page): Promise<T> {
  const res = await p.request.fetch(`${BASE}/api/v1${url}`, { method, data: data as object, headers: { origin: BASE } });
  if (!res.ok()) console.error(method, url, res.status(), (await res.text()).slice(0, 300));
  return (await res.json().catch(() => null)) as T;
}
async function signIn(p: Page, email: string) {
  await p.context().clearCookies();
  await p.goto(`${BASE}/login`);
  await p.getByLabel('Email').fill(email);
  await p.getByLabel('Password').fill(PASSWORD);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.waitForURL('**/contacts');
}

try {
  // ---------- seed ----------
  const token = new URL(running.setupUrl!).searchParams.get('token');
  await page.request.post(`${BASE}/api/v1/setup`, { data: { token, name: 'Ada Admin', email: 'ada@example.com', password: PASSWORD } });
  const mk = (name: string, email: string, role: string) => api<{ id: number }>('POST', '/users', { name, email, role, password: PASSWORD });
  const sam = await mk('Sam Closer', 'sam@example.com', 'sales');
  const rita = await mk('Rita Reyes', 'rita@example.com', 'sales');
  const omar = await mk('Omar Osei', 'omar@example.com', 'sales');
  await mk('Mia Marketer', 'mia@example.com', 'marketing');
  await mk('Vic Viewer', 'vic@example.com', 'viewer');
  await api('PUT', '/lifecycle/settings', { routing: { mode: 'round_robin', pool: [sam.id, rita.id, omar.id], territories: [] }, sla: { salesReadyAcceptHours: 24, salesAcceptedFollowUpHours: 72 } });

  const companies = [
    ['Globex', 'globex.example', 240, 'US'],
    ['Initech', 'initech.example', 800, 'US'],
    ['Umbrella', 'umbrella.example', 5200, 'DE'],
    ['Hooli', 'hooli.example', 1200, 'US'],
    ['Vandelay', 'vandelay.example', 60, 'GB'],
    ['Stark Industries', 'stark.example', 9000, 'US'],
  ] as const;
  const accounts: number[] = [];
  for (const [name, domain, employeeCount, country] of companies) accounts.push((await api<{ id: number }>('POST', '/accounts', { name, domain, employeeCount, country })).id);
  const people = [
    ['Hank', 'Scorpio', 'VP Operations'], ['Peter', 'Gibbons', 'Director of IT'], ['Alice', 'Wong', 'Head of Marketing'], ['Gavin', 'Belson', 'CEO'],
    ['Art', 'Vandelay', 'Head of Imports'], ['Pepper', 'Potts', 'Chief Operating Officer'], ['Milton', 'Waddams', 'Facilities Coordinator'],
    ['Bill', 'Lumbergh', 'VP Engineering'], ['Jian', 'Yang', 'Founder'], ['Monica', 'Hall', 'Director, Partnerships'], ['Erlich', 'Bachman', 'Head of Growth'],
    ['Samir', 'Nagheenanajar', 'Developer'], ['Joanna', 'Lowe', 'VP Sales'], ['Bob', 'Slydell', 'Consultant'], ['Laurie', 'Bream', 'Director of Finance'],
    ['Jared', 'Dunn', 'Head of Operations'], ['Tony', 'Stark', 'CTO'], ['Happy', 'Hogan', 'Head of Security'], ['Carla', 'Walton', 'VP Strategy'], ['Tom', 'Smykowski', 'Director of Customer Relations'],
  ];
  const ids: number[] = [];
  for (const [i, [firstName, lastName, title]] of people.entries()) {
    const acc = accounts[i % accounts.length]!;
    const domain = companies[i % companies.length]![1];
    const c = await api<{ id: number }>('POST', '/contacts', {
      email: `${firstName!.toLowerCase()}.${lastName!.toLowerCase()}@${domain}`, firstName, lastName, title, phone: i % 3 ? '+1 555 01' + String(i).padStart(2, '0') : undefined, accountId: acc,
      properties: {},
    });
    ids.push(c.id);
  }
  // Field notes on one contact (a custom property named like notes).
  await api('POST', '/properties', { objectType: 'contact', key: 'sdr_notes', label: 'SDR notes', type: 'text' });
  await db.update(contacts).set({ properties: { sdr_notes: 'Met at SaaStr; evaluating us against two vendors, decision in Q1. Wants SSO.' } }).where(eq(contacts.id, ids[0]!));

  // Behaviour for the newest leads (consumed content in the why panel; scores for the breakdown).
  const src = await api<{ writeKey: string }>('POST', '/sources', { name: 'Website' });
  const auth = { authorization: `Basic ${Buffer.from(`${src.writeKey}:`).toString('base64')}`, 'content-type': 'application/json' };
  for (const [k, id] of ids.slice(-4).entries()) {
    const email = (await db.select({ email: contacts.email }).from(contacts).where(eq(contacts.id, id)))[0]!.email;
    const uid = `web-${id}`;
    await fetch(`${BASE}/v1/batch`, {
      method: 'POST', headers: auth,
      body: JSON.stringify({ batch: [
        { type: 'identify', userId: uid, traits: { email } },
        { type: 'page', userId: uid, name: 'Closed-loop marketing guide', properties: { url: 'https://acme.example/guides/closed-loop', path: '/guides/closed-loop', title: 'The closed-loop marketing guide' } },
        { type: 'track', userId: uid, event: 'Content Read', properties: { percent: 80, title: 'The closed-loop marketing guide' } },
        { type: 'page', userId: uid, name: 'Pricing', properties: { url: 'https://acme.example/pricing', path: '/pricing', title: 'Pricing' } },
        ...(k % 2 ? [{ type: 'track', userId: uid, event: 'Demo Requested', properties: { plan: 'team' } }] : [{ type: 'track', userId: uid, event: 'Form Submitted', properties: { form: 'ROI calculator' } }]),
      ] }),
    });
  }
  await new Promise((r) => setTimeout(r, 4000));

  // Six months of handoffs on a simulated clock: qualified → sales-ready → decided (or still pending).
  const now = new Date();
  const H = 3_600_000;
  const D = 24 * H;
  const actorOf = (id: number, email: string): Actor => ({ type: 'user', id: String(id), label: email, role: 'sales', userId: id });
  const ctxOf = (actor: Actor): Ctx => ({ db, actor, log: pino({ level: 'silent' }), jobs: noJobs, dataDir });
  const reps = [actorOf(sam.id, 'sam@example.com'), actorOf(rita.id, 'rita@example.com'), actorOf(omar.id, 'omar@example.com')];
  const reasons = {
    reject: ['Student project, no budget', 'Competitor doing research', 'No budget this year', 'Student project, no budget'],
    recycle: ['Not ready: evaluating next quarter', 'Wrong contact, no buying authority', 'Not ready: evaluating next quarter'],
  };
  const plan: { at: number; outcome: 'accept' | 'opp' | 'reject' | 'recycle' | 'pending' }[] = [
    { at: 160, outcome: 'opp' }, { at: 150, outcome: 'reject' }, { at: 140, outcome: 'accept' },
    { at: 125, outcome: 'opp' }, { at: 115, outcome: 'recycle' }, { at: 100, outcome: 'opp' },
    { at: 92, outcome: 'reject' }, { at: 80, outcome: 'opp' }, { at: 70, outcome: 'recycle' },
    { at: 60, outcome: 'accept' }, { at: 48, outcome: 'opp' }, { at: 40, outcome: 'reject' }, { at: 33, outcome: 'recycle' },
    { at: 20, outcome: 'opp' }, { at: 12, outcome: 'reject' }, { at: 4, outcome: 'pending' },
    { at: 2.2, outcome: 'pending' }, { at: 0.9, outcome: 'pending' }, { at: 0.4, outcome: 'pending' }, { at: 0.05, outcome: 'pending' },
  ];
  let ri = 0;
  let ci = 0;
  for (const [i, step] of plan.entries()) {
    const contactId = ids[i]!;
    const t0 = new Date(now.getTime() - step.at * D);
    await db.transaction(async (tx) => {
      // The scorer may already have moved the contacts with events (lead, MQL): only move forward.
      const [{ stage }] = (await tx.select({ stage: contacts.lifecycleStage }).from(contacts).where(eq(contacts.id, contactId))) as [{ stage: string }];
      if (stage === 'subscriber') await transitionInTx(tx, systemActor, { contactId, toStage: 'lead', cause: 'rule', reason: 'Lead rule', now: new Date(t0.getTime() - 9 * D) });
      if (stage === 'subscriber' || stage === 'lead') await transitionInTx(tx, systemActor, { contactId, toStage: 'marketing_qualified', cause: 'rule', reason: 'MQL rule', now: new Date(t0.getTime() - 3 * D) });
      await transitionInTx(tx, systemActor, { contactId, toStage: 'sales_ready', cause: 'rule', reason: 'Sales-ready definition v1', details: { definitionVersion: 1 }, now: t0 });
    });
    const { rows } = await database.pool.query('select id, owner_id from handoffs where contact_id = $1 and status = $2', [contactId, 'pending']);
    const h = rows[0] as { id: number; owner_id: number };
    const owner = reps.find((r) => r.userId === h.owner_id) ?? reps[0]!;
    // Some reps answer late: Omar takes 30 hours, the others a few.
    const late = owner.userId === omar.id;
    const decidedAt = new Date(t0.getTime() + (late ? 30 : 3 + (i % 5)) * H);
    if (late && step.outcome !== 'pending') await checkSlaBreaches({ db, now: new Date(t0.getTime() + 25 * H) });
    const ctx = ctxOf(owner);
    if (step.outcome === 'accept' || step.outcome === 'opp') await acceptHandoff({ ctx, id: h.id, input: { note: 'Booked a discovery call' }, now: decidedAt });
    if (step.outcome === 'opp') await db.transaction((tx) => transitionInTx(tx, systemActor, { contactId, toStage: 'opportunity', cause: 'deal', reason: 'Deal opened', now: new Date(decidedAt.getTime() + 6 * D) }));
    if (step.outcome === 'reject') await rejectHandoff({ ctx, id: h.id, input: { reason: reasons.reject[ri++ % reasons.reject.length], disqualify: ri % 3 === 0 }, now: decidedAt });
    if (step.outcome === 'recycle') await recycleHandoff({ ctx, id: h.id, input: { reason: reasons.recycle[ci++ % reasons.recycle.length] }, now: decidedAt });
  }
  await checkSlaBreaches({ db, now });

  // ---------- screens ----------
  await step('queue-sales', async () => {
    await signIn(page, 'sam@example.com');
    await page.goto(`${BASE}/handoff`);
    await page.getByTestId('handoff-table').waitFor();
    await shot(page, 'ho-01-queue-mine');
  });
  await step('bell', async () => {
    await page.getByTestId('notification-bell').click();
    await page.getByRole('menu').waitFor();
    await shot(page, 'ho-02-notifications', false);
    await page.keyboard.press('Escape');
    await page.mouse.click(700, 20);
  });
  await step('queue-all', async () => {
    await page.goto(`${BASE}/handoff?view=all`);
    await page.getByTestId('handoff-table').waitFor();
    await page.getByTestId('handoff-row').last().click();
    await shot(page, 'ho-03-queue-all-why');
  });
  await step('breached', async () => {
    await page.goto(`${BASE}/handoff?view=all&breached=true`);
    await page.getByTestId('handoff-table').waitFor();
    await shot(page, 'ho-04-breached');
  });
  await step('reject-dialog', async () => {
    await page.goto(`${BASE}/handoff?view=all`);
    await page.getByTestId('handoff-row').first().getByRole('button', { name: 'Reject' }).click();
    await page.getByRole('dialog').waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Reject' }).click();
    await page.getByText('Say why: marketing sees this reason').waitFor();
    await shot(page, 'ho-05-reject-needs-reason', false);
    await page.getByRole('dialog').getByLabel('Reason').fill('Student project, no budget');
    await page.getByRole('dialog').getByLabel(/Disqualify/).check();
    await shot(page, 'ho-06-reject-disqualify', false);
    await page.getByRole('button', { name: 'Cancel' }).click();
  });
  await step('recycled-tab', async () => {
    await page.goto(`${BASE}/handoff?view=all&status=recycled`);
    await page.getByTestId('handoff-table').waitFor();
    await page.getByTestId('handoff-row').first().click();
    await shot(page, 'ho-07-recycled');
  });
  await step('symptoms', async () => {
    await signIn(page, 'mia@example.com');
    await page.goto(`${BASE}/symptoms`);
    await page.getByTestId('reasons-table').waitFor();
    await page.locator('[role="img"][data-ready="true"]').first().waitFor();
    await shot(page, 'ho-08-symptoms');
  });
  await step('viewer', async () => {
    await signIn(page, 'vic@example.com');
    await page.goto(`${BASE}/handoff`);
    await page.getByTestId('handoff-table').waitFor();
    await shot(page, 'ho-09-viewer-queue');
  });
  await step('contact-timeline', async () => {
    await signIn(page, 'sam@example.com');
    await page.goto(`${BASE}/contacts/${ids[0]}`);
    await page.getByTestId('timeline').waitFor();
    await shot(page, 'ho-10-contact-timeline');
  });
} finally {
  await browser.close();
  await database.close();
  await running.stop();
  await pgServer.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
