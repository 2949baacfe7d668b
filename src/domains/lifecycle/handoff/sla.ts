// The SLA check: pending handoffs past their due time are flagged (breachedAt), their owner and the admins
// are notified in-app, and a `handoff.sla_breached` audit row is written — the domain event the webhooks of
// issue 10 will deliver. Runs every minute as a pg-boss job; `now` is a parameter so tests move the clock.
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../../db/client.ts';
import { systemActor } from '../../../context.ts';
import { recordAudit } from '../../identity/audit.ts';
import { managerIds, notify } from '../../identity/notifications.ts';
import { emitWebhookEvent } from '../../webhooks/emit.ts';

const BATCH = 500;

export interface BreachEvent {
  /** accept: not accepted in time (sla.salesReadyAcceptHours); follow_up: accepted but not followed up (sla.salesAcceptedFollowUpHours). */
  kind: 'accept' | 'follow_up';
  handoffId: number;
  contactId: number;
  contactName: string;
  ownerId: number | null;
  dueAt: string;
  breachedAt: string;
}

type BreachRow = { id: number; contact_id: number; owner_id: number | null; due_at: Date; workspace_id: number; name: string };

/** What each kind of breach writes: the audit action (also the notification kind and webhook event) and its words. */
const BREACH_KINDS = {
  accept: {
    action: 'handoff.sla_breached',
    summary: (name: string, by: string) => `SLA breached: ${name} was not accepted by ${by} UTC`,
    title: (name: string) => `SLA breached: ${name}`,
    body: (by: string) => `Sales-ready lead not accepted by ${by} UTC.`,
  },
  follow_up: {
    action: 'handoff.follow_up_breached',
    summary: (name: string, by: string) => `Follow-up SLA breached: ${name} was accepted but not followed up by ${by} UTC`,
    title: (name: string) => `Not followed up: ${name}`,
    body: (by: string) => `Accepted, but no opportunity (or recycle) by ${by} UTC.`,
  },
} as const;

/**
 * Flags breaches in batches, each in its own transaction: `claim` marks up to BATCH handoffs (SKIP LOCKED: a
 * handoff being decided right now is left for the next run) and returns them; each gets an audit row, an
 * in-app notification to its rep and the admins, and a webhook event, in the same transaction.
 */
async function flagBreaches(db: Db, now: Date, kind: BreachEvent['kind'], claim: (tx: Tx) => Promise<BreachRow[]>): Promise<BreachEvent[]> {
  const words = BREACH_KINDS[kind];
  const out: BreachEvent[] = [];
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      const rows = await claim(tx);
      if (!rows.length) return [];
      const admins = await managerIds(tx);
      const events: BreachEvent[] = [];
      for (const r of rows) {
        const ev: BreachEvent = {
          kind,
          handoffId: Number(r.id),
          contactId: Number(r.contact_id),
          contactName: r.name,
          ownerId: r.owner_id == null ? null : Number(r.owner_id),
          dueAt: new Date(r.due_at).toISOString(),
          breachedAt: now.toISOString(),
        };
        events.push(ev);
        const by = ev.dueAt.slice(0, 16).replace('T', ' ');
        await recordAudit(tx, systemActor, { action: words.action, entityType: 'handoff', entityId: ev.handoffId, summary: words.summary(ev.contactName, by), changes: { ...ev } });
        await notify(tx, {
          workspaceId: r.workspace_id,
          userIds: [ev.ownerId, ...admins],
          kind: words.action,
          title: words.title(ev.contactName),
          body: words.body(by),
          link: `/handoff?id=${ev.handoffId}`,
        });
        await emitWebhookEvent(tx, { type: words.action, workspaceId: r.workspace_id, contactId: ev.contactId, now, data: { ...ev } });
      }
      return events;
    });
    out.push(...batch);
    if (batch.length < BATCH) return out;
  }
}

/** Flags every pending handoff due at or before `now`; returns the breaches flagged by this call. */
export async function checkSlaBreaches({ db, now = new Date() }: { db: Db; now?: Date }): Promise<BreachEvent[]> {
  const out = await flagBreaches(db, now, 'accept', async (tx) => {
    const { rows } = await tx.execute<BreachRow>(sql`
      with due as (
        select id from handoffs
        where status = 'pending' and breached_at is null and due_at <= ${now.toISOString()}::timestamptz
          and exists (select 1 from contacts c where c.id = handoffs.contact_id and c.lifecycle_stage = 'sales_ready')
        order by due_at limit ${BATCH}
        for update skip locked
      )
      update handoffs h set breached_at = ${now.toISOString()}::timestamptz
      from due, contacts c
      where h.id = due.id and c.id = h.contact_id and c.lifecycle_stage = 'sales_ready'
      returning h.id, h.contact_id, h.owner_id, h.due_at, h.workspace_id,
        coalesce(nullif(trim(concat_ws(' ', c.first_name, c.last_name)), ''), c.email) as name`);
    return rows;
  });
  out.push(...(await checkFollowUpBreaches({ db, now })));
  return out;
}

/**
 * The second SLA: accepted leads whose contact is still sales-accepted past followUpDueAt (no opportunity,
 * not recycled or disqualified) are flagged once, their rep and the admins notified, and a
 * `handoff.follow_up_breached` audit row written (the webhook event for issue 10).
 */
export async function checkFollowUpBreaches({ db, now = new Date() }: { db: Db; now?: Date }): Promise<BreachEvent[]> {
  return flagBreaches(db, now, 'follow_up', async (tx) => {
    const { rows } = await tx.execute<BreachRow>(sql`
      with due as (
        select h.id from handoffs h join contacts c on c.id = h.contact_id
        where h.status = 'accepted' and h.follow_up_breached_at is null and h.follow_up_due_at <= ${now.toISOString()}::timestamptz
          and c.lifecycle_stage = 'sales_accepted'
        order by h.follow_up_due_at limit ${BATCH}
        for update of h skip locked
      )
      update handoffs h set follow_up_breached_at = ${now.toISOString()}::timestamptz
      from due, contacts c
      where h.id = due.id and c.id = h.contact_id
      returning h.id, h.contact_id, coalesce(h.decided_by, h.owner_id) as owner_id, h.follow_up_due_at as due_at, h.workspace_id,
        coalesce(nullif(trim(concat_ws(' ', c.first_name, c.last_name)), ''), c.email) as name`);
    return rows;
  });
}

const CLOSED_AS: Record<string, 'accepted' | 'rejected' | 'recycled'> = {
  sales_accepted: 'accepted',
  opportunity: 'accepted',
  customer: 'accepted',
  disqualified: 'rejected',
};

/**
 * Pending handoffs whose contact left sales-ready some other way (a deal made it an opportunity, an import
 * or API call moved it) are closed, so they neither wait in the queue nor breach their SLA: forward moves
 * count as accepted, disqualified as rejected, anything else as recycled, with the stage as the reason.
 * Returns the ids closed. Runs with the SLA check.
 */
export async function settleStaleHandoffs({ db, now = new Date() }: { db: Db; now?: Date }): Promise<number[]> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.execute<{ id: number; contact_id: number; stage: string }>(sql`
      select h.id, h.contact_id, c.lifecycle_stage as stage
      from handoffs h join contacts c on c.id = h.contact_id
      where h.status = 'pending' and c.lifecycle_stage <> 'sales_ready'
      order by h.id limit ${BATCH}
      for update of h skip locked`);
    for (const r of rows) {
      const status = CLOSED_AS[r.stage] ?? 'recycled';
      const reason = `Contact moved to ${r.stage.replace(/_/g, ' ')} outside the queue`;
      await tx.execute(sql`update handoffs set status = ${status}, decided_at = ${now.toISOString()}::timestamptz, reason = ${reason} where id = ${r.id}`);
      await recordAudit(tx, systemActor, {
        action: `handoff.${status}`,
        entityType: 'handoff',
        entityId: Number(r.id),
        summary: `Closed: ${reason}`,
        changes: { status: { from: 'pending', to: status }, contactId: Number(r.contact_id), reason, automatic: true },
      });
    }
    return rows.map((r) => Number(r.id));
  });
}
