// The suppression list: addresses nothing is ever sent to (hard bounces, complaints, "unsubscribe from all",
// manual entries). Checked when a message is queued and again when it is sent.
import { and, count, desc, eq, ilike, type SQL } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { SuppressionInput, SuppressionQuery } from '../../contracts/email.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import { recordAudit } from '../identity/audit.ts';
import { WS } from './settings.ts';
import { emailSuppressions, type SuppressionReason } from './schema.ts';

type Row = typeof emailSuppressions.$inferSelect;
const dto = (r: Row) => ({ id: r.id, email: r.email, reason: r.reason, detail: r.detail, createdBy: r.createdBy, createdAt: r.createdAt.toISOString() });

/** Adds the address unless it is already suppressed (inside the caller's transaction); true when new. */
export async function suppress(tx: Queryable, input: { email: string; reason: SuppressionReason; detail?: string | null; messageId?: string | null; by: string }): Promise<boolean> {
  const rows = await tx
    .insert(emailSuppressions)
    .values({ workspaceId: WS, email: input.email.trim().toLowerCase(), reason: input.reason, detail: input.detail ?? null, messageId: input.messageId ?? null, createdBy: input.by })
    .onConflictDoNothing()
    .returning({ id: emailSuppressions.id });
  return rows.length > 0;
}

export async function listSuppressions({ ctx, input }: { ctx: Ctx; input: unknown }) {
  const q = SuppressionQuery.parse(input);
  const conds: SQL[] = [eq(emailSuppressions.workspaceId, WS)];
  if (q.q) conds.push(ilike(emailSuppressions.email, `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  if (q.reason) conds.push(eq(emailSuppressions.reason, q.reason));
  const [rows, [total]] = await Promise.all([
    ctx.db.select().from(emailSuppressions).where(and(...conds)).orderBy(desc(emailSuppressions.id)).limit(q.limit),
    ctx.db.select({ n: count() }).from(emailSuppressions).where(and(...conds)),
  ]);
  return { items: rows.map(dto), total: Number(total?.n ?? 0) };
}

export async function addSuppression({ ctx, input }: { ctx: Ctx; input: unknown }) {
  const v = SuppressionInput.parse(input);
  return withTransaction(ctx, async (tx) => {
    const added = await suppress(tx, { email: v.email, reason: v.reason, detail: v.detail ?? null, by: ctx.actor.label });
    if (!added) throw new ConflictError(`email: ${v.email} is already suppressed`, { field: 'email' });
    const [row] = await tx.select().from(emailSuppressions).where(and(eq(emailSuppressions.workspaceId, WS), eq(emailSuppressions.email, v.email)));
    await recordAudit(tx, ctx.actor, { action: 'email.suppressed', entityType: 'email_suppression', entityId: row!.id, summary: `${v.email} suppressed (${v.reason})`, changes: { email: v.email, reason: v.reason } });
    return dto(row!);
  });
}

export async function removeSuppression({ ctx, email }: { ctx: Ctx; email: string }) {
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.delete(emailSuppressions).where(and(eq(emailSuppressions.workspaceId, WS), eq(emailSuppressions.email, email))).returning();
    if (!row) throw new NotFoundError('Suppression', email);
    await recordAudit(tx, ctx.actor, { action: 'email.unsuppressed', entityType: 'email_suppression', entityId: row.id, summary: `${email} removed from the suppression list (was ${row.reason})`, changes: { email, reason: row.reason } });
  });
}
