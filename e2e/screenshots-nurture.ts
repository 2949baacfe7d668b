// Screenshots of the nurture screens (empty list, list, a running program's builder with contacts per step,
// a dry run, a test send, the step form of every step type, the entry / exit / goals / re-entry forms and a
// server field error next to its field) against a running revloop on a fresh data dir.
// Usage: BASE_URL=http://127.0.0.1:4571 SETUP_URL=<printed setup link> npx node e2e/screenshots-nurture.ts
// PNGs go to screenshots/ (git-ignored), named nurture-*.png.
import { openShots, setupAndSignInAdmin } from './shots.ts';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:4571';
const { browser, page, shot, step } = await openShots({ failPrefix: 'nurture' });
await setupAndSignInAdmin(page, BASE, process.env.SETUP_URL, '/nurture');

async function api(method: string, url: string, data?: unknown) {
  const res = await page.request.fetch(`${BASE}${url}`, { method, data: data as object });
  if (!res.ok()) console.error(method, url, res.status(), (await res.text()).slice(0, 300));
  return res.ok() ? res.json().catch(() => null) : null;
}

await step('empty', async () => {
  await page.goto(`${BASE}/nurture`);
  await page.getByText('No nurture programs yet').waitFor();
  await shot(page, 'nurture-empty', false);
  await page.getByRole('button', { name: 'New program' }).first().click();
  await page.getByLabel('Program name').fill('Welcome new leads');
  await page.getByLabel('Description').fill('Leads from the website get a welcome and our best reads');
  await shot(page, 'nurture-new-program', false);
  await page.keyboard.press('Escape');
});

// Data: 60 leads (some already engaged), an email topic + template with consent for most of them.
const names = ['Ana', 'Ben', 'Chloé', 'Dev', 'Eli', 'Fatima', 'Goran', 'Hana', 'Ivo', 'Jun'];
const contacts: number[] = [];
for (let i = 0; i < 60; i++) {
  const c = await api('POST', '/api/v1/contacts', { email: `lead${i}@acme${i % 7}.test`, firstName: names[i % names.length], lastName: `Lead ${i}`, lifecycleStage: i % 12 === 0 ? 'subscriber' : 'lead', properties: {} });
  if (c) contacts.push(c.id);
}
const topic = await api('POST', '/api/v1/email/topics', { key: 'nurture', name: 'Nurture series' });
const tpl = await api('POST', '/api/v1/email/templates', {
  name: 'Nurture: next read',
  subject: 'Something for you, {{ contact.first_name }}',
  mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>Hi {{ contact.first_name }}, here is our next piece.</mj-text></mj-column></mj-section></mj-body></mjml>',
});
if (topic) for (const id of contacts.slice(0, 50)) await api('POST', '/api/v1/email/consents', { contactId: id, topicKey: 'nurture', status: 'granted', source: 'signup form', text: 'Send me articles' });

const steps: unknown[] = [
  ...(tpl ? [{ id: 'welcome', type: 'send_content', label: 'Send next read (by stage)', templateId: tpl.id, topicKey: 'nurture' }] : []),
  { id: 'wait-1', type: 'wait', label: 'Wait 3 days', duration: { days: 3 } },
  { id: 'engaged', type: 'branch', label: 'Engagement ≥ 40?', condition: { kind: 'score_at_least', score: 'engagement', value: 40 }, yes: 'promote', no: 'demo' },
  { id: 'demo', type: 'wait_event', label: 'Wait for a demo request', event: 'Demo Requested', timeout: { days: 7 }, timeoutNext: 'remind' },
  { id: 'promote', type: 'update_stage', label: 'Make MQL', stage: 'marketing_qualified', next: null },
  { id: 'remind', type: 'notify_owner', label: 'Tell the owner', message: 'Lead still cold after 10 days' },
  { id: 'recycle-tag', type: 'update_property', label: 'Mark for the next track', key: 'nurture_track', value: 'long' },
];
const program = await api('POST', '/api/v1/nurture/programs', {
  name: 'New lead welcome',
  description: 'Leads get stage-aware reads for two weeks; engaged ones become MQLs, cold ones go to their owner.',
  definition: { entry: { stages: ['lead'] }, steps, goals: [{ name: 'Became MQL', condition: { kind: 'stage_in', stages: ['marketing_qualified'] } }], reentry: { mode: 'when_recycled', cooldownDays: 30 } },
});
await api('POST', '/api/v1/nurture/programs', {
  name: 'Recycled leads: re-engage',
  definition: { entry: { stages: ['recycled'] }, steps: [{ id: 'w', type: 'wait', duration: { days: 14 } }, { id: 'tag', type: 'update_property', key: 'nurture_track', value: 'recycled' }] },
});

await step('dry-run', async () => {
  await page.goto(`${BASE}/nurture/${program.id}`);
  await page.getByTestId('flow-diagram').waitFor();
  await page.getByLabel('After how many days?').fill('5');
  await page.getByRole('button', { name: 'Run dry run' }).click();
  await page.getByTestId('dry-run-positions').waitFor();
  await page.getByTestId('dry-run').scrollIntoViewIfNeeded();
  await shot(page, 'nurture-draft-dry-run', false);
});

await api('POST', `/api/v1/nurture/programs/${program.id}/activate`);
// Let the worker loop (every second) run the first steps.
await page.waitForTimeout(4000);

await step('list', async () => {
  await page.goto(`${BASE}/nurture`);
  await page.getByTestId('programs-table').waitFor();
  await shot(page, 'nurture-list', false);
});

await step('program-running', async () => {
  await page.goto(`${BASE}/nurture/${program.id}`);
  await page.getByTestId('flow-diagram').waitFor();
  await page.getByText(/in progress/).waitFor();
  await shot(page, 'nurture-program');
});

await step('branch-editor', async () => {
  await page.getByTestId('flow-step-engaged').click();
  await page.getByTestId('step-form-branch').waitFor();
  await shot(page, 'nurture-step-editor', false);
});

await step('test-send', async () => {
  await page.getByLabel('Find a contact').fill('Ben');
  await page.locator(`#ts-contact option[value="${contacts[1]}"]`).waitFor({ state: 'attached' });
  await page.getByLabel('Send to').selectOption(String(contacts[1]));
  await page.getByRole('button', { name: 'Send test' }).click();
  await page.getByTestId('test-send-result').waitFor();
  await page.getByTestId('test-send').scrollIntoViewIfNeeded();
  await shot(page, 'nurture-test-send', false);
});

// One program with a step of every type: each step's form, the criteria forms, and a server error on a field.
const segment = await api('POST', '/api/v1/segments', { name: 'Finance teams in Europe', marketId: null, need: null, rule: { kind: 'group', match: 'all', conditions: [] } });
// Webhook endpoints for the webhook step's picker (start the server with WEBHOOKS_ALLOW_PRIVATE=true: no DNS here).
const crmHook = await api('POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9/hooks/partner-crm?token=abc', description: 'Partner CRM', eventTypes: ['nurture.step'] });
await api('POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9/slack/notify', description: 'Sales Slack channel', eventTypes: ['contact.created'] });
const every = await api('POST', '/api/v1/nurture/programs', {
  name: 'Every step type (reference)',
  definition: {
    entry: { stages: ['lead', 'subscriber'], minFitScore: 30, event: { name: 'Webinar Attended', withinDays: 14 }, ...(segment ? { segmentId: segment.id } : {}) },
    steps: [
      ...(tpl ? [{ id: 'welcome', type: 'send_email', label: 'Welcome email', templateId: tpl.id, topicKey: 'nurture' }] : []),
      ...(tpl ? [{ id: 'read', type: 'send_content', label: 'Next read for their stage', templateId: tpl.id, topicKey: 'nurture', fallbackStage: 'interest' }] : []),
      { id: 'pause', type: 'wait', label: 'Wait 2 days', duration: { days: 2 } },
      { id: 'launch', type: 'wait_until', label: 'Wait for the launch', until: '2027-03-01T09:00:00+01:00' },
      { id: 'demo', type: 'wait_event', label: 'Wait for a demo request', event: 'Demo Requested', timeout: { days: 7 }, timeoutNext: 'owner' },
      { id: 'hot', type: 'branch', label: 'Fit and in Europe?', condition: segment ? { kind: 'in_segment', segmentId: segment.id } : { kind: 'score_at_least', score: 'fit', value: 50 }, yes: 'mql', no: 'tag' },
      { id: 'tag', type: 'update_property', label: 'Tag the track', key: 'nurture_track', value: 'long' },
      { id: 'owner', type: 'notify_owner', label: 'Tell the owner', message: 'No demo request after a week: give them a call' },
      { id: 'mql', type: 'update_stage', label: 'Make MQL', stage: 'marketing_qualified', reason: 'Fit and engaged in the welcome program' },
      { id: 'crm', type: 'webhook', label: 'Tell the CRM', note: 'Sync to the partner CRM', ...(crmHook?.endpoint ? { endpointId: crmHook.endpoint.id } : {}) },
      { id: 'done', type: 'exit', label: 'Leave the program' },
    ],
    exit: [{ kind: 'stage_in', stages: ['sales_ready', 'customer', 'disqualified'] }, { kind: 'unsubscribed', topicKey: 'nurture' }],
    goals: [{ name: 'Booked a demo', condition: { kind: 'did_event', event: 'Demo Requested' } }],
    reentry: { mode: 'after_end', cooldownDays: 90 },
  },
});

if (every) {
  await page.goto(`${BASE}/nurture/${every.id}`);
  await page.getByTestId('flow-diagram').waitFor();
  for (const s of every.definition.steps as { id: string; type: string }[]) {
    await step(`form-${s.type}`, async () => {
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.getByTestId(`flow-step-${s.id}`).click();
      await page.getByTestId(`step-form-${s.type}`).waitFor();
      await page.getByTestId('step-editor').scrollIntoViewIfNeeded();
      await shot(page, `nurture-form-${s.type.replace(/_/g, '-')}`, false);
    });
  }
  await step('criteria', async () => {
    await page.getByTestId('criteria').scrollIntoViewIfNeeded();
    await page.getByTestId('criteria').screenshot({ path: `${process.cwd()}/screenshots/nurture-criteria.png` });
    console.log('shot nurture-criteria');
  });
  await step('field-error', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.getByTestId('flow-step-pause').click();
    await page.getByLabel('Wait for', { exact: true }).fill('0');
    await page.getByTestId('save-program').click();
    await page.getByTestId('field-error').first().waitFor();
    await shot(page, 'nurture-field-error', false);
  });
}

await browser.close();
