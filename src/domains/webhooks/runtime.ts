// Per-database webhook runtime settings (encryption key, whether private addresses are allowed), set by
// buildApp from the configuration and read by the delivery worker, which only gets { db, dataDir }.
import type { Db, Queryable } from '../../db/client.ts';
import { loadSecretKey } from './crypto.ts';

export interface WebhookRuntime {
  key: Buffer;
  allowPrivate: boolean;
  /** Per-attempt timeout. */
  timeoutMs: number;
}

const runtimes = new WeakMap<object, WebhookRuntime>();

export function configureWebhooks(db: Db, opts: { secretKey?: string; dataDir: string; allowPrivate: boolean; timeoutMs?: number }): WebhookRuntime {
  const rt = { key: loadSecretKey(opts.secretKey, opts.dataDir), allowPrivate: opts.allowPrivate, timeoutMs: opts.timeoutMs ?? 10_000 };
  runtimes.set(db, rt);
  return rt;
}

/** The runtime configured for db; without one (a worker-only process), the DATA_DIR key and no private addresses. */
export function webhookRuntime(db: Queryable, dataDir: string): WebhookRuntime {
  return runtimes.get(db) ?? { key: loadSecretKey(undefined, dataDir), allowPrivate: false, timeoutMs: 10_000 };
}

/**
 * The runtime buildApp configured for db, or null before that (workers start before the app in main.ts:
 * the dispatcher waits for it rather than sign with a key that may not be the configured one).
 */
export function configuredRuntime(db: Queryable): WebhookRuntime | null {
  return runtimes.get(db) ?? null;
}
