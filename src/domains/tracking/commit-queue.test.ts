import { describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.ts';
import { ServiceUnavailableError } from '../../errors.ts';
import { commitEvents, type CommitJob } from './commit-queue.ts';

const job = (n: number): CommitJob => ({
  source: { id: 1, workspaceId: 1, name: 's' },
  endpoint: 'batch',
  items: Array.from({ length: n }, (_, i) => ({
    row: { sourceId: 1, workspaceId: 1, messageId: `m${i}-${Math.random()}`, type: 'track', event: 'E', timestamp: new Date(), receivedAt: new Date(), isBot: false },
    message: { type: 'track', event: 'E', userId: 'u' } as CommitJob['items'][number]['message'],
  })),
  rejected: [],
});

describe('commitEvents', () => {
  it('refuses new requests with 503 + Retry-After when too many messages are waiting for the database', async () => {
    // A database that never answers: commits stay in flight, requests pile up.
    const stuck = { execute: () => new Promise(() => {}), transaction: () => new Promise(() => {}) } as unknown as Db;
    for (let i = 0; i < 8; i++) void commitEvents(stuck, job(10), 50).catch(() => undefined);
    const err = await commitEvents(stuck, job(10), 50).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceUnavailableError);
    expect((err as ServiceUnavailableError).status).toBe(503);
    expect(Number((err as ServiceUnavailableError).headers['retry-after'])).toBeGreaterThan(0);
  });
});
