// The nurture program builder without JSON: a marketer creates a program (name, starter journey), adds a send-email step choosing the
// template and topic by name, a wait of 2 days and a branch on lifecycle stage with yes / no targets, ticks
// an entry stage, renames it, saves, reloads, and the saved definition (read through the API) is what the forms said.
// A wait of 0 days shows the server's error next to the field and saves nothing. A viewer sees the forms
// disabled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SETUP_TOKEN, startE2E, type E2E } from './harness.ts';

describe('nurture program builder', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(async () => {
    await e?.close();
  });

  async function signIn(page: Page, user: { email: string; password: string }) {
    await page.goto('/login');
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/contacts');
  }

  it('builds a program through the forms only, saves it, and shows a server error next to its field', async () => {
    const { t } = e;
    expect((await t.inject({ method: 'POST', url: '/api/v1/setup', payload: { token: SETUP_TOKEN, email: 'admin@example.test', name: 'Ada Admin', password: 'a very long password' } })).statusCode).toBe(201);
    const marketer = await t.makeUser('marketing');
    const viewer = await t.makeUser('viewer');
    expect((await t.api('POST', '/email/topics', { key: 'product_news', name: 'Product news' })).statusCode).toBe(201);
    expect((await t.api('POST', '/email/topics', { key: 'events', name: 'Events and webinars' })).statusCode).toBe(201);
    const mjml = (s: string) => `<mjml><mj-body><mj-section><mj-column><mj-text>${s}</mj-text></mj-column></mj-section></mj-body></mjml>`;
    const other = await t.api('POST', '/email/templates', { name: 'Webinar invite', subject: 'Join us', mjml: mjml('Join our webinar') });
    const welcome = await t.api('POST', '/email/templates', { name: 'Welcome to Acme', subject: 'Welcome, {{ contact.first_name }}', mjml: mjml('Hi {{ contact.first_name }}') });
    expect(other.statusCode, other.body).toBe(201);
    expect(welcome.statusCode, welcome.body).toBe(201);
    const templateId = welcome.json().id as number;

    const { page } = await e.newPage();
    try {
      await signIn(page, marketer);
      await page.goto('/nurture');
      await page.getByRole('button', { name: 'New program' }).first().click();
      await page.getByLabel('Program name').fill('Welcome leads');
      await page.getByRole('button', { name: 'Create and open the builder' }).click();
      await page.waitForURL(/\/nurture\/\d+$/);
      const programId = Number(new URL(page.url()).pathname.split('/').pop());
      await page.getByTestId('flow-diagram').waitFor();
      await page.getByRole('button', { name: 'Rename' }).click();
      await page.getByLabel('Program name').fill('Welcome new leads');
      await page.getByRole('button', { name: 'Save name' }).click();
      await page.getByRole('heading', { name: /Welcome new leads/ }).waitFor();
      const editor = page.getByTestId('step-editor');
      await page.getByTestId('step-form-update_property').waitFor(); // the first step is selected

      // Send email after the first step: template and topic by name.
      await editor.getByLabel('Add a step').selectOption({ label: 'Send email' });
      const send = page.getByTestId('step-form-send_email');
      await send.waitFor();
      await send.getByLabel('Name in the flow').fill('Say welcome');
      await send.getByLabel('Email template').selectOption({ label: 'Welcome to Acme' });
      await send.getByLabel('Email topic').selectOption({ label: 'Product news' });

      // A wait of 2 days after it.
      await editor.getByLabel('Add a step').selectOption({ label: 'Wait' });
      const wait = page.getByTestId('step-form-wait');
      await wait.waitFor();
      await wait.getByLabel('Wait for', { exact: true }).fill('2');
      expect(await wait.getByLabel('Wait for: unit').inputValue()).toBe('days');

      // A branch on lifecycle stage: sales-ready or MQL → "Make MQL", otherwise the program ends.
      await editor.getByLabel('Add a step').selectOption({ label: 'Branch' });
      const branch = page.getByTestId('step-form-branch');
      await branch.waitFor();
      await branch.getByLabel('Name in the flow').fill('Ready for sales?');
      await branch.getByLabel('If the contact…').selectOption({ label: 'Lifecycle stage is one of' });
      await branch.getByLabel('Sales-ready').check();
      await branch.getByLabel('Yes: go to').selectOption({ label: '9. Make MQL' });
      await branch.getByLabel('No: go to').selectOption({ label: 'End the program' });

      // Entry: subscribers too.
      await page.getByTestId('entry-form').getByLabel('Subscriber').check();

      await page.getByTestId('unsaved').waitFor();
      await page.getByTestId('save-program').click();
      await page.getByTestId('unsaved').waitFor({ state: 'detached' });

      // Reload: the forms show what was saved.
      await page.reload();
      await page.getByTestId('flow-step-send-email-1').click();
      expect(await page.getByTestId('step-form-send_email').getByLabel('Email template').locator('option:checked').textContent()).toBe('Welcome to Acme');
      await page.getByTestId('flow-step-wait-3').click();
      expect(await page.getByTestId('step-form-wait').getByLabel('Wait for', { exact: true }).inputValue()).toBe('2');

      const saved = (await t.api('GET', `/nurture/programs/${programId}`)).json();
      expect(saved.name).toBe('Welcome new leads');
      const steps = saved.definition.steps as { id: string }[];
      expect(steps.map((s) => s.id)).toEqual(['tag', 'send-email-1', 'wait-3', 'branch-1', 'wait-1', 'engaged', 'wait-2', 'remind', 'promote']);
      expect(steps[1]).toEqual({ id: 'send-email-1', type: 'send_email', label: 'Say welcome', templateId, topicKey: 'product_news' });
      expect(steps[2]).toEqual({ id: 'wait-3', type: 'wait', duration: { days: 2, hours: 0, minutes: 0 } });
      expect(steps[3]).toEqual({ id: 'branch-1', type: 'branch', label: 'Ready for sales?', condition: { kind: 'stage_in', stages: ['marketing_qualified', 'sales_ready'] }, yes: 'promote', no: null });
      expect(saved.definition.entry).toEqual({ stages: ['subscriber', 'lead'] });

      // A wait of 0 days: the server's message appears next to the field; nothing is saved.
      await page.getByTestId('flow-step-wait-3').click();
      await page.getByTestId('step-form-wait').getByLabel('Wait for', { exact: true }).fill('0');
      await page.getByTestId('save-program').click();
      const err = page.getByTestId('step-form-wait').getByTestId('field-error');
      await err.waitFor();
      expect(await err.textContent()).toBe('must be longer than zero');
      expect(await page.getByTestId('save-errors').textContent()).toContain('Wait');
      expect((await t.api('GET', `/nurture/programs/${programId}`)).json().definition.steps[2].duration).toEqual({ days: 2, hours: 0, minutes: 0 });
      // Fixing the field clears its error.
      await page.getByTestId('step-form-wait').getByLabel('Wait for', { exact: true }).fill('3');
      await err.waitFor({ state: 'detached' });
      // Entry with no criterion at all: the server's refusal shows in the entry form.
      const entry = page.getByTestId('entry-form');
      await entry.getByLabel('Subscriber').uncheck();
      await entry.getByLabel('Lead').uncheck();
      await page.getByTestId('save-program').click();
      expect(await entry.getByTestId('field-error').textContent()).toBe('Set at least one criterion below.');
      expect((await t.api('GET', `/nurture/programs/${programId}`)).json().definition.entry).toEqual({ stages: ['subscriber', 'lead'] });

      // A viewer sees the same forms, disabled, and no Save.
      const { page: vp } = await e.newPage();
      await signIn(vp, viewer);
      await vp.goto(`/nurture/${programId}`);
      await vp.getByTestId('flow-step-wait-3').click();
      const vwait = vp.getByTestId('step-form-wait').getByLabel('Wait for', { exact: true });
      expect(await vwait.inputValue()).toBe('2');
      expect(await vwait.isDisabled()).toBe(true);
      expect(await vp.getByTestId('entry-form').getByLabel('Subscriber').isDisabled()).toBe(true);
      expect(await vp.getByTestId('save-program').count()).toBe(0);
    } catch (err) {
      console.error('screenshot:', await e.screenshot(page, 'nurture-builder'));
      throw err;
    }
  });
});
