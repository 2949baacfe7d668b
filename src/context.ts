// Ctx is what every service verb receives: the database, who is acting, and a logger.
import type { Logger } from 'pino';
import type { Db, Tx } from './db/client.ts';
import type { Role } from './domains/identity/schema.ts';
import type { Jobs } from './jobs.ts';

export type ActorType = 'user' | 'api_key' | 'system' | 'cli';

export interface Actor {
  type: ActorType;
  /** users.id / api_keys.id as text; null for system and cli. */
  id: string | null;
  /** Human-readable: the user's email, "API key <name>", "system", "cli". */
  label: string;
  role: Role;
  /** The user id to attribute ownership to, when there is one (user sessions, keys created by a user). */
  userId: number | null;
}

export interface Ctx {
  db: Db;
  actor: Actor;
  log: Logger;
  jobs: Jobs;
  /** Absolute data directory (uploads, exports). */
  dataDir: string;
}

export const systemActor: Actor = { type: 'system', id: null, label: 'system', role: 'admin', userId: null };
export const cliActor: Actor = { type: 'cli', id: null, label: 'cli', role: 'admin', userId: null };

/** Runs fn in one database transaction; everything written inside, including the audit row, commits or rolls back together. */
export function withTransaction<T>(ctx: Ctx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return ctx.db.transaction(fn);
}
