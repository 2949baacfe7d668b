// The dispatcher: claims due deliveries (SKIP LOCKED, so several workers never send one twice), signs and
// posts them, and records each attempt. 2xx = delivered; 410 = the endpoint is disabled; anything else
// (3xx included: redirects are not followed, timeouts, refused addresses) is retried on the schedule in
// schedule.ts or at Retry-After. The first attempts of one contact's deliveries to one endpoint go in order.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { decryptSecret, signedHeaders } from './crypto.ts';
import { postWebhook, type PostResult } from './http.ts';
import { nextAttemptAt } from './schedule.ts';
import type { WebhookRuntime } from './runtime.ts';

const CLAIM_SECONDS = 120;

type Claimed = {
  id: number;
  endpoint_id: number;
  msg_id: string;
  attempts: number;
  status: string;
  next_attempt_at: Date | null;
  url: string;
  secret_enc: string;
  previous_secret_enc: string | null;
  previous_secret_expires_at: Date | null;
  payload: Record<string, unknown>;
};

const CLAIMED_COLUMNS = sql`d.id, d.endpoint_id, d.msg_id, d.attempts, d.status, d.next_attempt_at, e.url, e.secret_enc,
  e.previous_secret_enc, e.previous_secret_expires_at, ev.payload`;

async function claimDue(db: Db, now: Date, limit: number): Promise<Claimed[]> {
  const { rows } = await db.execute<Claimed>(sql`
    with due as (
      select d2.id from webhook_deliveries d2 join webhook_endpoints e2 on e2.id = d2.endpoint_id
      where d2.status = 'pending' and d2.next_attempt_at <= ${now.toISOString()}::timestamptz and e2.enabled
        and (d2.locked_until is null or d2.locked_until < ${now.toISOString()}::timestamptz)
        and not exists (
          select 1 from webhook_deliveries o
          where o.endpoint_id = d2.endpoint_id and o.contact_id = d2.contact_id and o.id < d2.id
            and o.status = 'pending' and o.attempts = 0)
      order by d2.next_attempt_at, d2.id
      limit ${limit}
      for update of d2 skip locked
    ), claimed as (
      update webhook_deliveries d set locked_until = ${now.toISOString()}::timestamptz + make_interval(secs => ${CLAIM_SECONDS})
      from due where d.id = due.id
      returning d.*
    )
    select ${CLAIMED_COLUMNS} from claimed d
    join webhook_endpoints e on e.id = d.endpoint_id
    join webhook_events ev on ev.id = d.event_id
    order by d.id`);
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** Claims one delivery for a manual redelivery; null when a dispatcher holds it right now. */
export async function claimOne(db: Db, deliveryId: number, now: Date): Promise<Claimed | null> {
  const { rows } = await db.execute<Claimed>(sql`
    with claimed as (
      update webhook_deliveries d set locked_until = ${now.toISOString()}::timestamptz + make_interval(secs => ${CLAIM_SECONDS})
      where d.id = ${deliveryId} and (d.locked_until is null or d.locked_until < ${now.toISOString()}::timestamptz)
      returning d.*
    )
    select ${CLAIMED_COLUMNS} from claimed d
    join webhook_endpoints e on e.id = d.endpoint_id
    join webhook_events ev on ev.id = d.event_id`);
  return rows[0] ? { ...rows[0], id: Number(rows[0].id) } : null;
}

function secretsOf(rt: WebhookRuntime, d: Claimed, now: Date): string[] {
  const secrets = [decryptSecret(rt.key, d.secret_enc)];
  if (d.previous_secret_enc && d.previous_secret_expires_at && new Date(d.previous_secret_expires_at) > now) {
    secrets.push(decryptSecret(rt.key, d.previous_secret_enc));
  }
  return secrets;
}

/** Sends one claimed delivery and records the attempt; returns the result. */
export async function deliverClaimed(db: Db, rt: WebhookRuntime, d: Claimed, opts: { now: Date; manual?: boolean }): Promise<PostResult> {
  const body = JSON.stringify(d.payload);
  // The signed timestamp is the real time of sending (receivers compare it with their clock), whatever `now` says.
  const timestamp = Math.floor(Date.now() / 1000);
  let headers: Record<string, string>;
  let result: PostResult;
  try {
    headers = signedHeaders(secretsOf(rt, d, opts.now), d.msg_id, timestamp, body);
  } catch (err) {
    headers = {};
    result = { status: null, body: null, retryAfter: null, error: `cannot sign: ${(err as Error).message}`, durationMs: 0 };
  }
  result ??= await postWebhook({ url: d.url, headers, body, allowPrivate: rt.allowPrivate, timeoutMs: rt.timeoutMs });
  const ok = result.status !== null && result.status >= 200 && result.status <= 299;
  const gone = result.status === 410;
  const attempt = d.attempts + 1;
  let status: 'pending' | 'succeeded' | 'failed';
  let next: Date | null = null;
  if (ok) status = 'succeeded';
  else if (gone) status = 'failed';
  else if (opts.manual) {
    // A manual attempt does not move the automatic schedule; a delivery that had given up stays failed.
    status = d.status === 'pending' && d.next_attempt_at ? 'pending' : 'failed';
    next = status === 'pending' ? new Date(d.next_attempt_at!) : null;
  } else {
    next = nextAttemptAt(attempt, opts.now, result.retryAfter);
    status = next ? 'pending' : 'failed';
  }
  const shownHeaders = { ...headers, 'webhook-signature': headers['webhook-signature'] ? '(signed)' : '' };
  await db.transaction(async (tx) => {
    await tx.execute(sql`
      insert into webhook_attempts (delivery_id, attempt, at, request_body, request_headers, response_code, response_body, duration_ms, error, next_retry_at, manual)
      values (${d.id}, ${attempt}, ${opts.now.toISOString()}::timestamptz, ${body}, ${JSON.stringify(shownHeaders)}::jsonb, ${result.status}, ${result.body},
        ${result.durationMs}, ${result.error}, ${next?.toISOString() ?? null}::timestamptz, ${opts.manual ?? false})`);
    await tx.execute(sql`
      update webhook_deliveries set status = ${status}, attempts = ${attempt}, next_attempt_at = ${next?.toISOString() ?? null}::timestamptz,
        locked_until = null, last_status_code = ${result.status}, last_error = ${result.error}, updated_at = now()
      where id = ${d.id}`);
    if (gone) {
      await tx.execute(sql`
        update webhook_endpoints set enabled = false, updated_at = now(),
          disabled_reason = ${`The receiver answered 410 Gone on ${opts.now.toISOString().slice(0, 16).replace('T', ' ')} UTC`}
        where id = ${d.endpoint_id}`);
    }
  });
  return result;
}

/**
 * Sends every delivery due at `now` (in batches of `batch`, in parallel within a batch) and returns how many
 * attempts were made. Runs from the dispatcher loop every second and from the pg-boss job every minute.
 */
export async function dispatchDue(opts: { db: Db; rt: WebhookRuntime; now?: Date; batch?: number; maxRounds?: number }): Promise<number> {
  let attempts = 0;
  for (let round = 0; round < (opts.maxRounds ?? 50); round++) {
    const now = opts.now ?? new Date();
    const claimed = await claimDue(opts.db, now, opts.batch ?? 16);
    if (!claimed.length) break;
    await Promise.all(claimed.map((d) => deliverClaimed(opts.db, opts.rt, d, { now })));
    attempts += claimed.length;
  }
  return attempts;
}

/** Events (with their deliveries and attempts) older than keepDays and no longer pending are deleted. */
export async function pruneWebhookLog(opts: { db: Db; now?: Date; keepDays?: number }): Promise<number> {
  const cutoff = new Date((opts.now ?? new Date()).getTime() - (opts.keepDays ?? 30) * 86_400_000);
  const { rows } = await opts.db.execute<{ n: number }>(sql`
    with old as (
      select e.id from webhook_events e
      where e.created_at < ${cutoff.toISOString()}::timestamptz
        and not exists (select 1 from webhook_deliveries d where d.event_id = e.id and d.status = 'pending')
      order by e.created_at limit 5000
    ), gone as (delete from webhook_events e using old where e.id = old.id returning 1)
    select count(*)::int as n from gone`);
  return rows[0]?.n ?? 0;
}
