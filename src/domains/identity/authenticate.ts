// Resolving who is calling: a session cookie (web UI) or an API key (Authorization: Bearer).
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Actor } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { apiKeys, sessions, users } from './schema.ts';
import { sha256 } from './secrets.ts';

export const SESSION_COOKIE = 'revloop_session';

export async function actorFromSession(db: Db, token: string): Promise<Actor | null> {
  const id = sha256(token);
  const rows = await db
    .select({ user: users, session: sessions })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, id), gt(sessions.expiresAt, new Date()), isNull(users.disabledAt)))
    .limit(1);
  const row = rows[0];
  if (!row) return null;
  // Touch at most once a minute to keep writes off the hot path.
  if (Date.now() - row.session.lastSeenAt.getTime() > 60_000) {
    await db.update(sessions).set({ lastSeenAt: new Date() }).where(eq(sessions.id, id));
  }
  return { type: 'user', id: String(row.user.id), label: row.user.email, role: row.user.role, userId: row.user.id };
}

export async function actorFromApiKey(db: Db, key: string): Promise<Actor | null> {
  const rows = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, sha256(key)), isNull(apiKeys.revokedAt)))
    .limit(1);
  const k = rows[0];
  if (!k) return null;
  if (!k.lastUsedAt || Date.now() - k.lastUsedAt.getTime() > 60_000) {
    await db.update(apiKeys).set({ lastUsedAt: new Date() }).where(eq(apiKeys.id, k.id));
  }
  return { type: 'api_key', id: String(k.id), label: `API key "${k.name}"`, role: k.role, userId: k.createdBy };
}
