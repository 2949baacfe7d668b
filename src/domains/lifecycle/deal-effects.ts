// What a deal does to its contacts' lifecycle: an open deal (intent or job-to-be-done cycle) makes them
// opportunities, a won deal makes them customers, a lost deal sends its opportunities back to the stage the
// settings name (recycled by default) unless they have another open deal. Runs in the deal's transaction.
import { and, eq, inArray, ne } from 'drizzle-orm';
import type { Actor } from '../../context.ts';
import type { Tx } from '../../db/client.ts';
import type { DealStage } from '../../contracts/lifecycle.ts';
import { contacts } from '../contacts/schema.ts';
import { dealContacts, deals } from './schema.ts';
import { getLifecycleSettings } from './settings.ts';
import { transitionInTx } from './transition.ts';

export interface DealForEffects {
  id: number;
  workspaceId: number;
  name: string;
  stage: DealStage;
  amount: number;
  currency: string;
  lostReason: string | null;
}

export async function applyDealEffects(tx: Tx, actor: Actor, deal: DealForEffects, contactIds: number[], now = new Date()): Promise<number> {
  if (!contactIds.length) return 0;
  let moved = 0;
  const details = { dealId: deal.id, dealStage: deal.stage, amount: deal.amount, currency: deal.currency };
  const rows = await tx.select({ id: contacts.id, stage: contacts.lifecycleStage }).from(contacts).where(inArray(contacts.id, contactIds)).orderBy(contacts.id);
  if (deal.stage === 'intent' || deal.stage === 'job_to_be_done') {
    for (const c of rows) {
      if (c.stage === 'opportunity' || c.stage === 'customer') continue;
      if (await transitionInTx(tx, actor, { contactId: c.id, toStage: 'opportunity', cause: 'deal', reason: `Deal "${deal.name}" is open`, details, now })) moved++;
    }
  } else if (deal.stage === 'won') {
    for (const c of rows) {
      if (c.stage === 'customer') continue;
      const reason = `Deal "${deal.name}" won (${deal.amount} ${deal.currency})`;
      if (await transitionInTx(tx, actor, { contactId: c.id, toStage: 'customer', cause: 'deal', reason, details, now })) moved++;
    }
  } else {
    const settings = await getLifecycleSettings(tx, deal.workspaceId);
    for (const c of rows) {
      if (c.stage !== 'opportunity') continue;
      const [other] = await tx
        .select({ id: deals.id })
        .from(deals)
        .innerJoin(dealContacts, eq(dealContacts.dealId, deals.id))
        .where(and(eq(dealContacts.contactId, c.id), ne(deals.id, deal.id), inArray(deals.stage, ['intent', 'job_to_be_done'])))
        .limit(1);
      if (other) continue;
      const reason = `Deal "${deal.name}" lost${deal.lostReason ? `: ${deal.lostReason}` : ''}`;
      if (await transitionInTx(tx, actor, { contactId: c.id, toStage: settings.lostDealStage, cause: 'deal', reason, details, now })) moved++;
    }
  }
  return moved;
}
