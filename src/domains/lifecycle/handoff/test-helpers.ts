// Test data for the handoff tests: contacts in a given stage, settings, and a lead opened at a given time.
import { eq } from 'drizzle-orm';
import type { TestApp } from '../../../../test/app.ts';
import type { LifecycleStage } from '../../../contracts/lifecycle.ts';
import { systemActor } from '../../../context.ts';
import { accounts, contacts } from '../../contacts/schema.ts';
import { lifecycleSettings } from '../schema.ts';
import { transitionInTx } from '../transition.ts';

let n = 0;

export async function makeContact(
  t: TestApp,
  opts: { stage?: LifecycleStage; ownerId?: number | null; account?: { country?: string; ownerId?: number | null; industry?: string } | null; firstName?: string } = {},
): Promise<number> {
  const tag = `${Date.now().toString(36)}${++n}`;
  let accountId: number | null = null;
  if (opts.account) {
    const [a] = await t.db
      .insert(accounts)
      .values({ name: `Acct ${tag}`, domain: `acct-${tag}.example`, country: opts.account.country ?? null, industry: opts.account.industry ?? null, ownerId: opts.account.ownerId ?? null })
      .returning({ id: accounts.id });
    accountId = a!.id;
  }
  const [c] = await t.db
    .insert(contacts)
    .values({ email: `lead-${tag}@example.test`, firstName: opts.firstName ?? `Lead${n}`, lastName: 'Test', lifecycleStage: opts.stage ?? 'marketing_qualified', ownerId: opts.ownerId ?? null, accountId })
    .returning({ id: contacts.id });
  return c!.id;
}

export async function setRouting(t: TestApp, routing: Record<string, unknown>, sla: Record<string, unknown> = { salesReadyAcceptHours: 24 }) {
  const settings = { routing: { pool: [], territories: [], mode: 'round_robin', ...routing }, sla };
  await t.db
    .insert(lifecycleSettings)
    .values({ workspaceId: 1, settings })
    .onConflictDoUpdate({ target: lifecycleSettings.workspaceId, set: { settings } });
}

export async function resetPointer(t: TestApp) {
  await t.db.update(lifecycleSettings).set({ lastRoutedUserId: null }).where(eq(lifecycleSettings.workspaceId, 1));
}

/** Makes a marketing-qualified contact sales-ready by rule at `now`; returns the contact and its handoff id. */
export async function makeLead(t: TestApp, opts: Parameters<typeof makeContact>[1] & { now?: Date } = {}) {
  const contactId = await makeContact(t, { ...opts, stage: 'marketing_qualified' });
  await t.db.transaction((tx) => transitionInTx(tx, systemActor, { contactId, toStage: 'sales_ready', cause: 'rule', reason: 'test definition', details: { definitionVersion: 1 }, now: opts.now }));
  const { rows } = await t.database.pool.query('select id, owner_id, routed_by from handoffs where contact_id = $1 order by id desc limit 1', [contactId]);
  return { contactId, handoffId: Number(rows[0].id), ownerId: rows[0].owner_id as number | null, routedBy: rows[0].routed_by as string };
}

/** A user of the role and API-key headers acting as that user. */
export async function userWithKey(t: TestApp, role: 'admin' | 'marketing' | 'sales' | 'viewer') {
  const { apiKeys } = await import('../../identity/schema.ts');
  const { newApiKey } = await import('../../identity/secrets.ts');
  const user = await t.makeUser(role);
  const k = newApiKey();
  await t.db.insert(apiKeys).values({ name: `${role} ${user.id}`, role, prefix: k.prefix, keyHash: k.hash, createdBy: user.id });
  return { ...user, headers: { authorization: `Bearer ${k.key}` } };
}
