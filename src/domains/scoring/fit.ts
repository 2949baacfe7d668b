// Stored fit scores (contact_scores rows of fit models): recomputed when a contact or its account changes,
// and by the rescore. The contacts service calls scoreContactFit / scoreAccountFit inside its transaction.
import { sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { activeModels } from './defaults.ts';
import { fitOf, loadFitRecords } from './snapshot.ts';
import { contactScores } from './schema.ts';

const CHUNK = 1000;

/**
 * Recomputes and stores the fit score of contacts under every active fit model (one upsert per chunk).
 * Unknown contact ids are skipped. Returns how many contacts were scored.
 */
export async function scoreFitForContacts(db: Queryable, workspaceId: number, contactIds: readonly number[], now: Date = new Date()): Promise<number> {
  if (!contactIds.length) return 0;
  const models = await activeModels(db, workspaceId, 'fit');
  if (!models.length) return 0;
  let scored = 0;
  for (let i = 0; i < contactIds.length; i += CHUNK) {
    const records = await loadFitRecords(db, workspaceId, contactIds.slice(i, i + CHUNK));
    const rows: (typeof contactScores.$inferInsert)[] = [];
    for (const [contactId, record] of records) {
      for (const model of models) {
        const fit = fitOf(model, record);
        rows.push({
          contactId,
          modelId: model.id,
          workspaceId,
          score: fit.score,
          grade: fit.grade,
          breakdown: { matched: fit.matched, matchedPoints: fit.matchedPoints, maxPoints: fit.maxPoints },
          modelVersion: model.version,
          computedAt: now,
        });
      }
    }
    scored += records.size;
    if (rows.length)
      await db
        .insert(contactScores)
        .values(rows)
        .onConflictDoUpdate({
          target: [contactScores.contactId, contactScores.modelId],
          set: {
            score: sql`excluded.score`,
            grade: sql`excluded.grade`,
            breakdown: sql`excluded.breakdown`,
            modelVersion: sql`excluded.model_version`,
            computedAt: sql`excluded.computed_at`,
          },
        });
  }
  return scored;
}

/** Recomputes one contact's fit (call it in the transaction that changed the contact). */
export async function scoreContactFit(tx: Queryable, contactId: number, workspaceId = 1): Promise<void> {
  await scoreFitForContacts(tx, workspaceId, [contactId]);
}

/** Recomputes the fit of every contact of an account (call it in the transaction that changed the account). */
export async function scoreAccountFit(tx: Queryable, accountId: number, workspaceId = 1): Promise<number> {
  const res = await tx.execute(sql`select id from contacts where account_id = ${accountId} and workspace_id = ${workspaceId}`);
  return scoreFitForContacts(tx, workspaceId, res.rows.map((r) => Number(r.id)));
}
