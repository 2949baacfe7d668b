// The ingest verb behind /v1/track … /v1/batch: authenticate the write key, validate each message, and
// store the valid ones in ONE transaction (de-duplicated by messageId, identities stitched), so a 200 is
// only ever sent for events that are committed. Database trouble becomes 503 with Retry-After.
import type { Db } from '../../db/client.ts';
import { AppError, ServiceUnavailableError, UnauthorizedError, ValidationError } from '../../errors.ts';
import { MAX_BATCH_BYTES, MAX_MESSAGE_BYTES, type EventType, type RejectedMessage, type TrackResponse } from '../../contracts/tracking.ts';
import type { NewEventRow } from './events-table.ts';
import { commitEvents, type SourceRef } from './commit-queue.ts';
import { parseMessage, rejectionPayload, type RequestFacts } from './message.ts';
import { trackingRejections } from './schema.ts';
import { sourceForWriteKey } from './sources.ts';

export type Endpoint = EventType | 'batch';

export interface IngestInput {
  endpoint: Endpoint;
  /** The request body as received. */
  body: Buffer | undefined;
  /** Write key from HTTP Basic auth (user name), if any. */
  basicKey: string | null;
  facts: RequestFacts;
}

type Log = { warn(obj: unknown, msg?: string): void; error(obj: unknown, msg?: string): void };

async function authenticate(db: Db, key: string | null): Promise<SourceRef> {
  if (!key) throw new UnauthorizedError('Send the source write key as the HTTP Basic user name (empty password) or as "writeKey" in the body');
  const source = await sourceForWriteKey(db, key).catch((err) => {
    throw unavailable(err);
  });
  if (!source) throw new UnauthorizedError('Unknown or revoked write key');
  return source;
}

function unavailable(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = new ServiceUnavailableError('Events could not be stored right now; nothing from this request was kept. Retry shortly.', 5);
  (e as { cause?: unknown }).cause = err;
  return e;
}

/** Records rejections outside the ingest transaction (a refused request stores nothing else). Best effort. */
async function recordRejections(db: Db, log: Log, source: SourceRef, endpoint: Endpoint, items: { index: number | null; messageId: string | null; reason: string; raw: unknown }[]) {
  if (!items.length) return;
  await db
    .insert(trackingRejections)
    .values(items.map((r) => ({ workspaceId: source.workspaceId, sourceId: source.id, endpoint, batchIndex: r.index, messageId: r.messageId, reason: r.reason, payload: rejectionPayload(r.raw) })))
    .catch((err) => log.warn({ err }, 'could not record tracking rejections'));
}

export async function ingest({ db, log, input }: { db: Db; log: Log; input: IngestInput }): Promise<TrackResponse> {
  const { endpoint, facts } = input;
  const raw = input.body ?? Buffer.alloc(0);
  // With a Basic key, a wrong key is a 401 before anything about the body.
  let source = input.basicKey ? await authenticate(db, input.basicKey) : null;

  const limit = endpoint === 'batch' ? MAX_BATCH_BYTES : MAX_MESSAGE_BYTES;
  if (raw.length > limit) {
    const what = endpoint === 'batch' ? 'batch request' : 'message';
    const reason = `${what} is ${Math.ceil(raw.length / 1024)} KB, larger than the ${limit / 1024} KB limit per ${endpoint === 'batch' ? 'batch' : 'message'}`;
    if (source) await recordRejections(db, log, source, endpoint, [{ index: null, messageId: null, reason, raw: { bytes: raw.length } }]);
    throw new AppError(400, endpoint === 'batch' ? 'batch_too_large' : 'message_too_large', reason, { limitBytes: limit, bytes: raw.length });
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    const reason = raw.length === 0 ? 'Request body is empty; send a JSON object' : `Request body is not valid JSON (${(err as Error).message})`;
    if (source) await recordRejections(db, log, source, endpoint, [{ index: null, messageId: null, reason, raw: { preview: raw.toString('utf8', 0, 500) } }]);
    throw new AppError(400, 'invalid_json', reason);
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    if (!source) throw new UnauthorizedError('Send the source write key as the HTTP Basic user name (empty password) or as "writeKey" in the body');
    throw new ValidationError('Request body must be a JSON object');
  }
  const obj = body as Record<string, unknown>;
  source ??= await authenticate(db, typeof obj.writeKey === 'string' && obj.writeKey ? obj.writeKey : null);

  // Validate every message; in a batch the invalid ones are listed and the rest is kept.
  let rawMessages: unknown[];
  if (endpoint === 'batch') {
    if (!Array.isArray(obj.batch)) throw new ValidationError('batch: must be an array of messages', [{ field: 'batch', message: 'must be an array of messages' }]);
    if (obj.batch.length === 0) throw new ValidationError('batch: must contain at least one message', [{ field: 'batch', message: 'must contain at least one message' }]);
    rawMessages = obj.batch;
  } else {
    rawMessages = [obj];
  }
  const rejected: (RejectedMessage & { raw: unknown })[] = [];
  const rows: { row: NewEventRow; message: ReturnType<typeof parseMessage> & { ok: true } }[] = [];
  rawMessages.forEach((m, index) => {
    const p = parseMessage(m, {
      source,
      forcedType: endpoint === 'batch' ? undefined : endpoint,
      batchSentAt: endpoint === 'batch' ? obj.sentAt : undefined,
      batchContext: endpoint === 'batch' ? obj.context : undefined,
      facts,
    });
    if (p.ok) rows.push({ row: p.row, message: p });
    else rejected.push({ index, messageId: p.messageId, reason: p.reason, raw: m });
  });
  const rejectedOut = rejected.map(({ index, messageId, reason }) => ({ index, messageId, reason }));
  if (rows.length === 0) {
    await recordRejections(db, log, source, endpoint, rejected.map((r) => ({ ...r, index: endpoint === 'batch' ? r.index : null })));
    const first = rejected[0]!;
    throw new ValidationError(endpoint === 'batch' ? `No message in the batch is valid; message ${first.index}: ${first.reason}` : first.reason, endpoint === 'batch' ? { rejected: rejectedOut } : undefined);
  }

  // The same messageId twice in one request counts once.
  const seen = new Set<string>();
  const unique: typeof rows = [];
  let duplicates = 0;
  for (const r of rows) {
    if (seen.has(r.row.messageId)) duplicates++;
    else {
      seen.add(r.row.messageId);
      unique.push(r);
    }
  }

  let stored: number;
  try {
    stored = await commitEvents(db, { source, endpoint, items: unique.map((u) => ({ row: u.row, message: u.message.message })), rejected });
  } catch (err) {
    throw unavailable(err);
  }
  return { success: true, stored, duplicates: duplicates + (unique.length - stored), rejected: rejectedOut };
}
