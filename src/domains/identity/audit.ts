// The audit log: who changed what. Every service writes its audit row inside the same transaction as the change.
import { and, desc, eq, lt } from 'drizzle-orm';
import type { Actor } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { auditLog } from './schema.ts';

export interface AuditInput {
  action: string;
  entityType: string;
  entityId?: string | number | null;
  summary: string;
  changes?: Record<string, unknown> | null;
}

export async function recordAudit(tx: Queryable, actor: Actor, entry: AuditInput): Promise<void> {
  await tx.insert(auditLog).values({
    actorType: actor.type,
    actorId: actor.id,
    actorLabel: actor.label,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId == null ? null : String(entry.entityId),
    summary: entry.summary,
    changes: entry.changes ?? null,
  });
}

/** Field-by-field diff for audit rows: { field: { from, to } } for fields that changed. */
export function diffFields(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after)) {
    // undefined and null both mean "no value": not a change.
    const a = before[key] ?? null;
    const b = after[key] ?? null;
    if (JSON.stringify(a) !== JSON.stringify(b)) out[key] = { from: a, to: b };
  }
  return out;
}

export async function listAudit(
  db: Queryable,
  opts: { entityType?: string; entityId?: string; beforeId?: number; limit: number },
) {
  const conds = [];
  if (opts.entityType) conds.push(eq(auditLog.entityType, opts.entityType));
  if (opts.entityId) conds.push(eq(auditLog.entityId, opts.entityId));
  if (opts.beforeId) conds.push(lt(auditLog.id, opts.beforeId));
  return db
    .select()
    .from(auditLog)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(opts.limit);
}

export async function listAuditLog({ ctx, input }: { ctx: { db: Queryable }; input: { entityType?: string; entityId?: string; limit: number; cursor?: string } }) {
  const rows = await listAudit(ctx.db, { ...input, beforeId: input.cursor ? Number(input.cursor) : undefined, limit: input.limit + 1 });
  const items = rows.slice(0, input.limit).map((r) => ({
    id: r.id,
    at: r.at.toISOString(),
    actorType: r.actorType,
    actorLabel: r.actorLabel,
    action: r.action,
    entityType: r.entityType,
    entityId: r.entityId,
    summary: r.summary,
    changes: r.changes ?? null,
  }));
  return { items, nextCursor: rows.length > input.limit ? String(items[items.length - 1]!.id) : null };
}
