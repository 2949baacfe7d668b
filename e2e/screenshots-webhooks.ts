// Screenshots of Settings → Webhooks (empty, add endpoint with a field error, secret shown once, list, test
// event, delivery log with a retrying delivery, rotation) against a running revloop started with
// WEBHOOKS_ALLOW_PRIVATE=true on a fresh data dir. A loopback receiver is started here.
// Usage: BASE_URL=http://127.0.0.1:4532 SETUP_URL=<printed setup link> npx node e2e/screenshots-webhooks.ts
// PNGs go to screenshots/ (git-ignored).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { openShots, setupAndSignInAdmin } from './shots.ts';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:4532';
const SETUP_URL = process.env.SETUP_URL;

// The receiver: /ok answers 200, /flaky answers 503 with Retry-After.
const receiver = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (req.url === '/flaky') {
      res.writeHead(503, { 'retry-after': '3600' });
      res.end('maintenance');
    } else {
      res.writeHead(200);
      res.end('{"received":true}');
    }
  });
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
const RX = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

const { browser, page, shot, step } = await openShots({ failPrefix: 'wh' });


await setupAndSignInAdmin(page, BASE, SETUP_URL, '/settings/webhooks');

async function addEndpoint(url: string, description: string, events: string[]) {
  await page.getByRole('button', { name: 'Add endpoint' }).first().click();
  await page.getByLabel('URL').fill(url);
  await page.getByLabel('Description').fill(description);
  for (const e of events) await page.getByLabel(e).check();
  await page.getByRole('button', { name: 'Add endpoint' }).last().click();
}

await step('empty', async () => {
  await page.getByText('No webhook endpoints yet').waitFor();
  await shot(page, 'wh-01-empty', false);
});
await step('add-error', async () => {
  await addEndpoint('http://169.254.169.254/latest/meta-data', 'metadata', ['Contact created']);
  await page.waitForTimeout(800);
  await shot(page, 'wh-02-add-refused', false);
  await page.keyboard.press('Escape');
});
await step('add', async () => {
  await page.goto(`${BASE}/settings/webhooks`);
  await addEndpoint(`${RX}/ok`, 'CRM sync', ['Contact created', 'Contact updated', 'Contact became sales-ready', 'Handoff SLA breached', 'Deal won']);
  await page.getByTestId('new-webhook-secret').waitFor();
  await shot(page, 'wh-03-secret-once', false);
  await page.getByRole('button', { name: 'I have copied the secret' }).click();
  await addEndpoint(`${RX}/flaky`, 'Warehouse (down for maintenance)', ['Contact created']);
  await page.getByRole('button', { name: 'I have copied the secret' }).click();
});
await step('events', async () => {
  for (const [i, name] of ['Grace Hopper', 'Alan Turing'].entries()) {
    const [firstName, lastName] = name.split(' ');
    const res = await page.request.post(`${BASE}/api/v1/contacts`, { data: { email: `c${i}@example.com`, firstName, lastName } });
    if (!res.ok()) console.error('contact', res.status(), await res.text());
  }
  await page.waitForTimeout(2500); // the dispatcher polls every second
});
await step('list', async () => {
  await page.goto(`${BASE}/settings/webhooks`);
  await page.getByTestId('webhooks-table').waitFor();
  await shot(page, 'wh-04-list');
});
await step('test-and-log', async () => {
  await page.getByRole('row', { name: /CRM sync/ }).getByRole('button', { name: 'Send test' }).click();
  await page.getByText('Test event delivered').waitFor();
  await page.getByTestId('webhook-delivery-log').waitFor();
  await shot(page, 'wh-05-test-and-log');
  await page.getByTestId('webhook-delivery-log').getByRole('button', { name: 'Details' }).first().click();
  await page.getByText('Request and response').first().click();
  await shot(page, 'wh-06-delivery-details');
});
await step('retrying', async () => {
  await page.goto(`${BASE}/settings/webhooks`);
  await page.getByRole('row', { name: /Warehouse/ }).getByRole('button', { name: 'Delivery log' }).click();
  await page.getByTestId('webhook-delivery-log').getByRole('button', { name: 'Redeliver' }).first().waitFor();
  await page.getByTestId('webhook-delivery-log').getByRole('button', { name: 'Details' }).first().click();
  await shot(page, 'wh-07-retrying');
});
await step('edit', async () => {
  await page.getByRole('row', { name: /CRM sync/ }).getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel('Lifecycle stage changed').check();
  await shot(page, 'wh-10-edit', false);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('row', { name: /CRM sync/ }).getByText('lifecycle.changed').waitFor();
});
await step('rotate', async () => {
  await page.getByRole('row', { name: /CRM sync/ }).getByRole('button', { name: 'Rotate secret' }).click();
  await shot(page, 'wh-08-rotate-confirm', false);
  await page.getByRole('button', { name: 'Rotate secret' }).last().click();
  await page.getByTestId('new-webhook-secret').waitFor();
  await page.getByRole('button', { name: 'I have copied the secret' }).click();
  await shot(page, 'wh-09-after-rotation', false);
});

await browser.close();
receiver.close();
