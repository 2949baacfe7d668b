// Sources and their write keys: 256 random bits, shown once, stored as sha256, revocable.
import { desc, eq, isNull, and } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import { CreateSourceInput, type CreatedSource, type Source as SourceDto } from '../../contracts/tracking.ts';
import { recordAudit } from '../identity/audit.ts';
import { users } from '../identity/schema.ts';
import { randomToken, sha256 } from '../identity/secrets.ts';
import { sources, type Source } from './schema.ts';

export const WRITE_KEY_PREFIX = 'rlw_';

export function newWriteKey(): { key: string; prefix: string; hash: string } {
  const key = WRITE_KEY_PREFIX + randomToken(32);
  return { key, prefix: key.slice(0, WRITE_KEY_PREFIX.length + 6), hash: sha256(key) };
}

function toDto(s: Source, createdBy: string | null): SourceDto {
  return {
    id: s.id,
    name: s.name,
    writeKeyPrefix: s.writeKeyPrefix,
    createdBy,
    createdAt: s.createdAt.toISOString(),
    revokedAt: s.revokedAt?.toISOString() ?? null,
  };
}

export async function listSources({ ctx }: { ctx: Pick<Ctx, 'db'> }): Promise<SourceDto[]> {
  const rows = await ctx.db
    .select({ source: sources, creator: users.email })
    .from(sources)
    .leftJoin(users, eq(users.id, sources.createdBy))
    .orderBy(desc(sources.id));
  return rows.map((r) => toDto(r.source, r.creator));
}

export async function getSource({ ctx, id }: { ctx: Pick<Ctx, 'db'>; id: number }): Promise<Source> {
  const [row] = await ctx.db.select().from(sources).where(eq(sources.id, id));
  if (!row) throw new NotFoundError('Source', id);
  return row;
}

export async function createSource({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<CreatedSource> {
  const data = CreateSourceInput.parse(input);
  const { key, prefix, hash } = newWriteKey();
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.insert(sources).values({ name: data.name, writeKeyHash: hash, writeKeyPrefix: prefix, createdBy: ctx.actor.userId }).returning();
    await recordAudit(tx, ctx.actor, {
      action: 'source.created',
      entityType: 'source',
      entityId: row!.id,
      summary: `Created tracking source "${data.name}"`,
      changes: { name: data.name, writeKeyPrefix: prefix },
    });
    return { source: toDto(row!, ctx.actor.type === 'user' ? ctx.actor.label : null), writeKey: key };
  });
}

export async function revokeSource({ ctx, id }: { ctx: Ctx; id: number }): Promise<SourceDto> {
  const dto = await withTransaction(ctx, async (tx) => {
    const [row] = await tx.select().from(sources).where(eq(sources.id, id)).for('update');
    if (!row) throw new NotFoundError('Source', id);
    if (row.revokedAt) throw new ConflictError(`Source "${row.name}" is already revoked`);
    const [after] = await tx.update(sources).set({ revokedAt: new Date() }).where(eq(sources.id, id)).returning();
    await recordAudit(tx, ctx.actor, { action: 'source.revoked', entityType: 'source', entityId: id, summary: `Revoked the write key of tracking source "${row.name}"` });
    return toDto(after!, null);
  });
  writeKeyCache.clear();
  return dto;
}

// Write-key look-ups happen on every tracking request: a short-lived in-process cache keeps them off the
// database. Revoking in this process clears it at once; another process notices within CACHE_MS.
const CACHE_MS = 5_000;
const writeKeyCache = new Map<string, { source: Pick<Source, 'id' | 'workspaceId' | 'name'> | null; at: number }>();

/** The live (not revoked) source of a write key, or null. */
export async function sourceForWriteKey(db: Queryable, writeKey: string): Promise<Pick<Source, 'id' | 'workspaceId' | 'name'> | null> {
  // Keyed by the key itself (process memory only, like the request that carried it): no hash per request.
  const hit = writeKeyCache.get(writeKey);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.source;
  const hash = sha256(writeKey);
  const [row] = await db
    .select({ id: sources.id, workspaceId: sources.workspaceId, name: sources.name })
    .from(sources)
    .where(and(eq(sources.writeKeyHash, hash), isNull(sources.revokedAt)));
  if (writeKeyCache.size > 10_000) writeKeyCache.clear();
  writeKeyCache.set(writeKey, { source: row ?? null, at: Date.now() });
  return row ?? null;
}

/** Forget cached write keys (tests, and revocation in this process). */
export function clearWriteKeyCache(): void {
  writeKeyCache.clear();
}
