// A background loop for a worker process: runs `tick` every `pollMs` until stopped; an error is logged and the
// loop goes on. Used by the webhook dispatcher, the email send loop and the nurture runner (each claims its
// work with SKIP LOCKED, so any number of processes may run the same loop). `stop()` ends the wait at once and
// resolves after the tick in progress has finished.
import type { Logger } from 'pino';

export function startPollLoop(opts: { pollMs: number; log: Pick<Logger, 'error'>; failure: string; tick: () => Promise<unknown> }): { stop(): Promise<void> } {
  let running = true;
  let timer: NodeJS.Timeout | null = null;
  let wake: (() => void) | null = null;
  const loop = (async () => {
    while (running) {
      try {
        await opts.tick();
      } catch (err) {
        opts.log.error({ err }, opts.failure);
      }
      if (!running) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, opts.pollMs);
      });
    }
  })();
  return {
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      wake?.();
      await loop;
    },
  };
}
