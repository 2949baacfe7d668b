// Group commit for ingest. Every request still gets its answer only after ITS events are committed, but
// requests that arrive while earlier ones are being written share the next transaction: one messageId
// claim, one identity look-up and one multi-row insert for all of them, and one WAL flush. With no
// concurrency a request is written at once, alone (no added latency).
//
// Isolation: when a shared transaction fails for a reason other than a retryable conflict, each request in
// it is written again on its own, so one bad request can never cost the others their events.
import type { Actor } from '../../context.ts';
import type { Db, Tx } from '../../db/client.ts';
import { ServiceUnavailableError } from '../../errors.ts';
import type { RejectedMessage } from '../../contracts/tracking.ts';
import { availableParallelism } from 'node:os';
import { sql } from 'drizzle-orm';
import type { Pool } from 'pg';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { NewEventRow } from './events-table.ts';
import { applyAlias, applyGroup, applyIdentify, lookupIdentities, type IdentityScope } from './identity.ts';
import { rejectionPayload } from './message.ts';
import { trackingRejections } from './schema.ts';
import { inboxInsertFrom } from '../scoring/inbox.ts';
import type { TrackingMessage } from '../../contracts/tracking.ts';

export type SourceRef = { id: number; workspaceId: number; name: string };

export interface CommitJob {
  source: SourceRef;
  endpoint: string;
  /** Valid messages, unique by messageId within the request. */
  items: { row: NewEventRow; message: TrackingMessage }[];
  /** Rejected messages of the request, kept for the debugger in the same transaction. */
  rejected: (RejectedMessage & { raw: unknown })[];
}

interface Pending extends CommitJob {
  resolve(stored: number): void;
  reject(err: unknown): void;
}

/**
 * Commits in flight at once; the rest of the requests wait and share the next one. One per core for small
 * groups: each commit has a fixed cost, so fewer, bigger groups win (bench/ingest-single). Up to two per core
 * while at least BIG_GROUP messages wait: then every commit is large and mostly waits for its WAL flush,
 * and the next keeps the core busy (bench/ingest-batch on 2 cores: 1 → 13.9k, 2 → 18.2–18.9k, 4 →
 * 20.0–20.6k, 8 → 18.4k events/s; ingest-single: 2 → 5.2k, 4 → 3.5k requests/s).
 */
const BASE_PARALLEL = Math.max(2, availableParallelism());
const MAX_PARALLEL = 2 * BASE_PARALLEL;
const BIG_GROUP = 200;
const MAX_MESSAGES_PER_COMMIT = 5000;
/** Messages waiting for a commit beyond which new requests are refused (503 + Retry-After) instead of queued. */
export const MAX_PENDING_MESSAGES = 100_000;
const INSERT_CHUNK = 5000;

// Rows go in as one array per column (insert … select from unnest): one statement of ~35 parameters
// whatever the number of rows, much cheaper to build and to plan than a multi-row VALUES list.
type Col = [column: string, pgType: string, value: (r: NewEventRow) => unknown];
const json = (v: unknown) => (v == null ? null : JSON.stringify(v));
// ISO strings: pg's own Date formatting costs several times more per value.
const iso = (d: Date | null | undefined) => (d == null ? null : d.toISOString());
const EVENT_COLUMNS: Col[] = [
  ['workspace_id', 'int4', (r) => r.workspaceId ?? 1],
  ['source_id', 'int4', (r) => r.sourceId],
  ['message_id', 'text', (r) => r.messageId],
  ['type', 'text', (r) => r.type],
  ['event', 'text', (r) => r.event ?? null],
  ['contact_id', 'int8', (r) => r.contactId ?? null],
  ['anonymous_id', 'text', (r) => r.anonymousId ?? null],
  ['user_id', 'text', (r) => r.userId ?? null],
  ['group_id', 'text', (r) => r.groupId ?? null],
  ['previous_id', 'text', (r) => r.previousId ?? null],
  ['timestamp', 'timestamptz', (r) => iso(r.timestamp)],
  ['received_at', 'timestamptz', (r) => iso(r.receivedAt)],
  ['sent_at', 'timestamptz', (r) => iso(r.sentAt)],
  ['original_timestamp', 'timestamptz', (r) => iso(r.originalTimestamp)],
  ['properties', 'jsonb', (r) => json(r.properties)],
  ['traits', 'jsonb', (r) => json(r.traits)],
  ['context', 'jsonb', (r) => json(r.context)],
  ['integrations', 'jsonb', (r) => json(r.integrations)],
  ['ip', 'text', (r) => r.ip ?? null],
  ['user_agent', 'text', (r) => r.userAgent ?? null],
  ['page_url', 'text', (r) => r.pageUrl ?? null],
  ['page_path', 'text', (r) => r.pagePath ?? null],
  ['page_referrer', 'text', (r) => r.pageReferrer ?? null],
  ['page_title', 'text', (r) => r.pageTitle ?? null],
  ['utm_campaign', 'text', (r) => r.utmCampaign ?? null],
  ['utm_source', 'text', (r) => r.utmSource ?? null],
  ['utm_medium', 'text', (r) => r.utmMedium ?? null],
  ['utm_term', 'text', (r) => r.utmTerm ?? null],
  ['utm_content', 'text', (r) => r.utmContent ?? null],
  ['is_bot', 'bool', (r) => r.isBot ?? false],
];

async function insertEvents(tx: Tx, rows: NewEventRow[]): Promise<void> {
  const arrays = sql.join(
    EVENT_COLUMNS.map(([, type, value]) => sql`${sql.param(rows.map(value))}::${sql.raw(type)}[]`),
    sql`, `,
  );
  // The events and their scoring inbox row in one statement (the outbox of src/domains/scoring/inbox.ts).
  await tx.execute(sql`
    with ins as (
      insert into events (${sql.raw(EVENT_COLUMNS.map(([c]) => `"${c}"`).join(', '))}) select * from unnest(${arrays})
      returning id, workspace_id, received_at, contact_id, is_bot
    )
    ${inboxInsertFrom('ins')}`);
}

/** Claims messageIds; returns the keys (workspace, source, messageId) that were new. */
async function claimMessageIds(tx: Tx, claims: { workspaceId: number; sourceId: number; messageId: string; receivedAt: Date }[]): Promise<Set<string>> {
  const res = await tx.execute(sql`
    insert into event_dedupe (workspace_id, source_id, message_id, received_at)
    select * from unnest(${sql.param(claims.map((c) => c.workspaceId))}::int4[], ${sql.param(claims.map((c) => c.sourceId))}::int4[],
                         ${sql.param(claims.map((c) => c.messageId))}::text[], ${sql.param(claims.map((c) => c.receivedAt))}::timestamptz[])
    on conflict do nothing
    returning workspace_id, source_id, message_id`);
  return new Set((res.rows as { workspace_id: number; source_id: number; message_id: string }[]).map((r) => keyOf(r.workspace_id, r.source_id, r.message_id)));
}

function sourceActor(source: SourceRef): Actor {
  return { type: 'system', id: null, label: `tracking source "${source.name}"`, role: 'admin', userId: null };
}

function retryable(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? (err as { cause?: { code?: string } }).cause?.code;
  return code === '40P01' || code === '40001' || code === '23505';
}

/** Runs fn; deadlocks and serialization failures (its transaction rolled back whole) are retried. */
async function withRetries<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt < 3 && retryable(err)) continue;
      throw err;
    }
  }
}

function keyOf(workspaceId: number, sourceId: number, messageId: string): string {
  return `${workspaceId}\u0001${sourceId}\u0001${messageId}`;
}

/** The messages of the jobs in the order received, unique by (workspace, source, messageId): the first request owns it. */
function ownedItems(jobs: CommitJob[]): { key: string; job: number; item: CommitJob['items'][number] }[] {
  const owner = new Map<string, { key: string; job: number; item: CommitJob['items'][number] }>();
  jobs.forEach((job, j) => {
    for (const item of job.items) {
      const key = keyOf(job.source.workspaceId, job.source.id, item.row.messageId);
      if (!owner.has(key)) owner.set(key, { key, job: j, item });
    }
  });
  return [...owner.values()];
}

/** The message came without a messageId and the server gave it a fresh UUID (no claim needed). */
function serverGenerated(item: CommitJob['items'][number]): boolean {
  return item.message.messageId == null;
}

/** True when the jobs only carry events (no identity call from a person, no rejection to keep). */
function eventsOnly(jobs: CommitJob[]): boolean {
  return jobs.every((j) => j.rejected.length === 0 && j.items.every((i) => i.row.isBot || (i.message.type !== 'identify' && i.message.type !== 'alias' && i.message.type !== 'group')));
}

// The scoring inbox insert has no parameters: rendered once to text.
const INBOX_INSERT_FROM_INS = new PgDialect().sqlToQuery(inboxInsertFrom('ins')).sql;

const STORE_EVENTS_SQL = (() => {
  const names = EVENT_COLUMNS.map(([c]) => `"${c}"`).join(', ');
  const arrays = [...EVENT_COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`), `$${EVENT_COLUMNS.length + 1}::bool[]`].join(', ');
  const select = EVENT_COLUMNS.map(([c]) =>
    c === 'contact_id' ? 'case when i.is_bot then null else coalesce(iu.contact_id, ia.contact_id) end' : `i."${c}"`,
  ).join(', ');
  return `
    with input as (select * from unnest(${arrays}) with ordinality as u(${names}, needs_claim, ord)),
    claimed as (
      insert into event_dedupe (workspace_id, source_id, message_id, received_at)
      select workspace_id, source_id, message_id, received_at from input where needs_claim order by workspace_id, source_id, message_id
      on conflict do nothing
      returning workspace_id, source_id, message_id
    ),
    ins as (
    insert into events (${names})
    select ${select}
    from input i
    left join claimed c on c.workspace_id = i.workspace_id and c.source_id = i.source_id and c.message_id = i.message_id
    left join identities iu on iu.workspace_id = i.workspace_id and iu.kind = 'user' and iu.value = i.user_id
    left join identities ia on ia.workspace_id = i.workspace_id and ia.kind = 'anonymous' and ia.value = i.anonymous_id
    where not i.needs_claim or c.message_id is not null
    order by i.ord
    returning id, workspace_id, source_id, message_id, received_at, contact_id, is_bot
    ),
    inbox as (${INBOX_INSERT_FROM_INS})
    select workspace_id, source_id, message_id from ins`;
})();

/**
 * The common case in ONE statement (atomic on its own, so no explicit transaction): claim the messageIds,
 * resolve each event's contact from the identities, insert the events whose claim was new, in order, and
 * the scoring inbox row for those that belong to a contact.
 */
async function storeEventsOnly(db: Db, jobs: CommitJob[]): Promise<number[]> {
  const owned = ownedItems(jobs);
  const rows = owned.map((o) => o.item.row);
  // A messageId the server generated is a fresh UUID: nothing to de-duplicate, so it claims no row.
  const values: unknown[] = EVENT_COLUMNS.map(([, , value]) => rows.map(value));
  values.push(owned.map((o) => !serverGenerated(o.item)));
  // A named (prepared) statement: its text never changes (one array per column), so each pooled connection
  // parses and plans it once instead of on every commit.
  const res = await (db as Db & { $client: Pool }).$client.query({ name: 'revloop_ingest_events_v1', text: STORE_EVENTS_SQL, values });
  const stored = jobs.map(() => 0);
  const jobOf = new Map(owned.map((o) => [o.key, o.job]));
  for (const r of res.rows as { workspace_id: number; source_id: number; message_id: string }[]) {
    const j = jobOf.get(keyOf(r.workspace_id, r.source_id, r.message_id));
    if (j !== undefined) stored[j]!++;
  }
  return stored;
}

/** Writes the jobs: the one-statement path for plain events, else the full transaction. */
function store(db: Db, jobs: CommitJob[]): Promise<number[]> {
  return withRetries(() => (eventsOnly(jobs) ? storeEventsOnly(db, jobs) : db.transaction((tx) => storeJobs(tx, jobs))));
}

/** Writes the jobs in one transaction; returns how many events of each job were new (not duplicates). */
async function storeJobs(tx: Tx, jobs: CommitJob[]): Promise<number[]> {
  // 1. Claim the messageIds, in one sorted statement (concurrent commits lock in the same order). A messageId
  //    in two requests of this commit belongs to the first.
  const owned = ownedItems(jobs);
  // Sorted: concurrent commits lock the claims in the same order.
  const claims = [...owned].filter((o) => !serverGenerated(o.item)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map(({ job, item }) => ({ workspaceId: jobs[job]!.source.workspaceId, sourceId: jobs[job]!.source.id, messageId: item.row.messageId, receivedAt: item.row.receivedAt! }));
  const claimed = new Set<string>();
  for (let i = 0; i < claims.length; i += INSERT_CHUNK) for (const k of await claimMessageIds(tx, claims.slice(i, i + INSERT_CHUNK))) claimed.add(k);
  const todo = owned.filter((o) => serverGenerated(o.item) || claimed.has(o.key));
  const stored = jobs.map(() => 0);
  for (const t of todo) stored[t.job]!++;

  // 2. Identity calls in the order received (bots never create or stitch people).
  for (const { job, item } of todo) {
    if (item.row.isBot) continue;
    const m = item.message;
    if (m.type !== 'identify' && m.type !== 'alias' && m.type !== 'group') continue;
    const source = jobs[job]!.source;
    const scope: IdentityScope = { tx, actor: sourceActor(source), workspaceId: source.workspaceId, source: source.name };
    if (m.type === 'identify') await applyIdentify(scope, m);
    else if (m.type === 'alias') await applyAlias(scope, m);
    else await applyGroup(scope, m);
  }

  // 3. Resolve each event's contact with the identities as they now stand, then insert.
  const people = todo.filter((t) => !t.item.row.isBot).map((t) => t.item.row);
  for (const workspaceId of new Set(people.map((r) => r.workspaceId!))) {
    const mine = people.filter((r) => r.workspaceId === workspaceId);
    const map = await lookupIdentities(
      { tx, workspaceId },
      [...new Set(mine.flatMap((r) => (r.userId ? [r.userId] : [])))],
      [...new Set(mine.flatMap((r) => (r.anonymousId ? [r.anonymousId] : [])))],
    );
    for (const row of mine) {
      row.contactId = (row.userId ? map.get(`user:${row.userId}`) : undefined) ?? (row.anonymousId ? map.get(`anonymous:${row.anonymousId}`) : undefined) ?? null;
    }
  }
  const rows = todo.map((t) => t.item.row);
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) await insertEvents(tx, rows.slice(i, i + INSERT_CHUNK));

  // 4. The rejected messages of these requests, for the debugger.
  const rejections = jobs.flatMap((job) =>
    job.rejected.map((r) => ({ workspaceId: job.source.workspaceId, sourceId: job.source.id, endpoint: job.endpoint, batchIndex: r.index, messageId: r.messageId, reason: r.reason, payload: rejectionPayload(r.raw) })),
  );
  for (let i = 0; i < rejections.length; i += INSERT_CHUNK) await tx.insert(trackingRejections).values(rejections.slice(i, i + INSERT_CHUNK));
  return stored;
}

/** One queue per database handle (tests run several apps in one process). */
const queues = new WeakMap<Db, CommitQueue>();

class CommitQueue {
  private readonly db: Db;
  private pending: Pending[] = [];
  private pendingMessages = 0;
  private running = 0;

  constructor(db: Db) {
    this.db = db;
  }

  submit(job: CommitJob, maxPending: number): Promise<number> {
    if (this.pendingMessages + job.items.length > maxPending && this.pending.length > 0) {
      return Promise.reject(new ServiceUnavailableError('revloop is receiving more events than it can store right now; nothing from this request was kept. Retry shortly.', 2));
    }
    this.pendingMessages += job.items.length;
    return new Promise((resolve, reject) => {
      this.pending.push({ ...job, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.pending.length && (this.running < BASE_PARALLEL || (this.running < MAX_PARALLEL && this.pendingMessages >= BIG_GROUP))) {
      const take: Pending[] = [];
      let messages = 0;
      while (this.pending.length && (take.length === 0 || messages + this.pending[0]!.items.length <= MAX_MESSAGES_PER_COMMIT)) {
        const next = this.pending.shift()!;
        messages += next.items.length;
        this.pendingMessages -= next.items.length;
        take.push(next);
      }
      this.running++;
      void this.commit(take).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async commit(jobs: Pending[]): Promise<void> {
    try {
      const stored = await store(this.db, jobs);
      jobs.forEach((j, i) => j.resolve(stored[i]!));
    } catch (err) {
      if (jobs.length === 1) return jobs[0]!.reject(err);
      // Isolate: each request on its own, so only the one that cannot be stored fails.
      for (const job of jobs) {
        try {
          const [n] = await store(this.db, [job]);
          job.resolve(n!);
        } catch (e) {
          job.reject(e);
        }
      }
    }
  }
}

/** Stores the job's events (with the group commit); resolves with how many were new, once committed. */
export function commitEvents(db: Db, job: CommitJob, maxPending = MAX_PENDING_MESSAGES): Promise<number> {
  let q = queues.get(db);
  if (!q) {
    q = new CommitQueue(db);
    queues.set(db, q);
  }
  return q.submit(job, maxPending);
}
