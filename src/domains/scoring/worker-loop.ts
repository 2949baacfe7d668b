// The scoring loop: LISTENs on revloop_scoring (the inbox trigger notifies at commit), runs scoring passes
// (worker.ts) until the inbox is empty, then waits for the next notification, or polls every few seconds
// as a safety net when a notification is missed (e.g. while the listening connection was being re-made).
import pg from 'pg';
import type { Db } from '../../db/client.ts';
import { SCORING_CHANNEL } from './inbox.ts';
import { scoreInboxBatch } from './worker.ts';

export interface ScoringLoop {
  /** Resolves once the loop has finished its current pass and closed its connection. */
  stop(): Promise<void>;
  /** Asks for a pass now (in-process ingest may call it; NOTIFY does the same across processes). */
  wake(): void;
}

/**
 * Starts the scoring loop: LISTEN revloop_scoring, drain the inbox pass after pass while there is work,
 * then wait for a notification (or `pollMs`, the safety net when a notification is missed).
 */
export function startScoringLoop(deps: { db: Db; log: { info: Function; error: Function; debug: Function }; pollMs?: number; clock?: () => Date }): ScoringLoop {
  const pollMs = deps.pollMs ?? 2000;
  const clock = deps.clock ?? (() => new Date());
  let running = true;
  let pending = true;
  let wakeUp: (() => void) | null = null;
  let listener: pg.Client | null = null;
  const wake = () => {
    pending = true;
    wakeUp?.();
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      }
      wakeUp = done;
    });

  async function listen(): Promise<void> {
    if (listener || !running) return;
    const options = (deps.db as unknown as { $client: pg.Pool }).$client.options;
    const client = new pg.Client({ ...options, application_name: 'revloop-scoring-listen' } as pg.ClientConfig);
    client.on('notification', wake);
    client.on('error', (err) => {
      deps.log.debug({ err }, 'scoring listener lost its connection; reconnecting');
      if (listener === client) listener = null;
      client.end().catch(() => undefined);
    });
    try {
      await client.connect();
      await client.query(`listen ${SCORING_CHANNEL}`);
      listener = client;
      pending = true; // anything committed while we were not listening
    } catch (err) {
      deps.log.debug({ err }, 'scoring listener could not connect');
      await client.end().catch(() => undefined);
    }
  }

  // A pass that fails is retried; when a pass of many rows fails, passes go one row at a time until the
  // inbox is drained, and a single row that still fails is left in the inbox (not lost: retried after a
  // restart) and skipped, so one bad row cannot hold up everybody's scores.
  const poisoned = new Set<number>();
  const rowFailures = new Map<number, number>();
  let isolate = false;
  const loop = (async () => {
    let failures = 0;
    while (running) {
      await listen();
      if (!pending) await sleep(pollMs);
      if (!running) break;
      pending = false;
      let claimed: number[] = [];
      try {
        const r = await scoreInboxBatch(deps.db, { now: clock(), limit: isolate ? 1 : undefined, exclude: [...poisoned], onClaim: (ids) => (claimed = ids) });
        failures = 0;
        if (r.inboxRows > 0) {
          pending = true; // maybe more: drain before waiting
          deps.log.debug(r, 'scoring pass');
        } else isolate = false;
      } catch (err) {
        failures++;
        pending = true;
        if (isolate && claimed.length === 1) {
          const id = claimed[0]!;
          const n = (rowFailures.get(id) ?? 0) + 1;
          rowFailures.set(id, n);
          if (n >= 3) {
            poisoned.add(id);
            rowFailures.delete(id);
            failures = 0;
            deps.log.error({ err, inboxRow: id }, 'scoring inbox row keeps failing; it stays in the inbox and is skipped until the next start');
            continue;
          }
        }
        deps.log.error({ err }, 'scoring pass failed; its events stay in the inbox and are retried one inbox row at a time');
        isolate = true;
        await sleep(Math.min(30_000, 100 * 2 ** Math.min(failures, 8)));
      }
    }
  })();

  return {
    wake,
    async stop() {
      running = false;
      wakeUp?.();
      await loop;
      const l = listener;
      listener = null;
      await l?.end().catch(() => undefined);
    },
  };
}
