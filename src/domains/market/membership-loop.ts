// The membership loop: drains the market inbox (contacts whose data changed, queued by triggers in the
// transaction of the change) pass after pass, then polls every `pollMs` (250 ms: a changed contact is in or
// out of its segments well within a second). Runs in every process that runs workers; passes from two
// processes never overlap (processMarketInbox takes an advisory lock).
import type { Db } from '../../db/client.ts';
import { processMarketInbox } from './membership.ts';

export interface MembershipLoop {
  stop(): Promise<void>;
  wake(): void;
}

export function startMembershipLoop(deps: { db: Db; log: { error: Function; debug: Function }; pollMs?: number }): MembershipLoop {
  const pollMs = deps.pollMs ?? 250;
  let running = true;
  let wakeUp: (() => void) | null = null;
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
  const loop = (async () => {
    while (running) {
      try {
        const r = await processMarketInbox(deps.db);
        if (r.rows > 0) continue;
      } catch (err) {
        if (running) deps.log.error({ err }, 'segment membership pass failed; retrying');
        await sleep(Math.max(pollMs, 1000));
      }
      if (running) await sleep(pollMs);
    }
  })();
  return {
    wake: () => wakeUp?.(),
    async stop() {
      running = false;
      wakeUp?.();
      await loop;
    },
  };
}
