// The sales handoff queue, in-app notifications and the symptoms dashboard: shapes shared by the server,
// the web UI and the CLI.
import { z } from 'zod';
import { Cursor, Limit, Timestamp } from './common.ts';
import { LifecycleStage, UserRef } from './contacts.ts';

export const HandoffStatus = z.enum(['pending', 'accepted', 'rejected', 'recycled']);
export type HandoffStatus = z.infer<typeof HandoffStatus>;

const BoolQuery = z
  .union([z.boolean(), z.enum(['true', 'false'])])
  .optional()
  .transform((v) => (v === undefined ? undefined : v === true || v === 'true'));

export const HandoffListQuery = z.object({
  status: HandoffStatus.optional(),
  /** me: the caller's leads; a user id: that user's; omitted: everyone's. */
  owner: z.union([z.literal('me'), z.literal('unassigned'), z.coerce.number().int().positive()]).optional(),
  /** true: only leads whose SLA was breached; false: only those not breached. */
  breached: BoolQuery,
  contactId: z.coerce.number().int().positive().optional(),
  limit: Limit,
  cursor: Cursor,
});
export type HandoffListQuery = z.infer<typeof HandoffListQuery>;

export const ConsumedItem = z.object({
  type: z.string(),
  name: z.string().nullable(),
  path: z.string().nullable(),
  title: z.string().nullable(),
  at: Timestamp,
});

/** Why the lead is here: the scores the rule saw, what they read, notes. Extra keys from the rule pass through. */
export const HandoffWhy = z
  .object({
    scores: z.unknown().optional(),
    definitionVersion: z.number().int().nullable().optional(),
    consumedContent: z.array(ConsumedItem).default([]),
    fieldNotes: z.array(z.string()).default([]),
  })
  .catchall(z.unknown());

export const HandoffContact = z.object({
  id: z.number().int(),
  email: z.string(),
  name: z.string(),
  title: z.string().nullable(),
  accountName: z.string().nullable(),
  lifecycleStage: LifecycleStage,
});

export const Handoff = z
  .object({
    id: z.number().int(),
    status: HandoffStatus,
    contact: HandoffContact,
    owner: UserRef.nullable(),
    /** round_robin | account_owner | territory:<name> | manual | unassigned */
    routedBy: z.string(),
    why: HandoffWhy,
    dueAt: Timestamp.nullable(),
    breachedAt: Timestamp.nullable(),
    /** Still pending past its due time (whether or not the SLA job has flagged it yet). */
    overdue: z.boolean(),
    decidedAt: Timestamp.nullable(),
    decidedBy: UserRef.nullable(),
    /** After acceptance: follow the lead up (opportunity, recycle, disqualify) by then (settings.sla.salesAcceptedFollowUpHours). */
    followUpDueAt: Timestamp.nullable(),
    followUpBreachedAt: Timestamp.nullable(),
    reason: z.string().nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'Handoff' });
export type Handoff = z.infer<typeof Handoff>;

export const HandoffPage = z.object({
  items: z.array(Handoff),
  nextCursor: z.string().nullable(),
  counts: z.object({ pending: z.number().int(), pendingMine: z.number().int(), breached: z.number().int() }),
});
export type HandoffPage = z.infer<typeof HandoffPage>;

const Reason = z.string().trim().min(1, 'a reason is required').max(1000);

export const AcceptHandoffInput = z.object({ note: z.string().trim().max(1000).optional() }).strict();
export const RejectHandoffInput = z
  .object({
    reason: Reason,
    /** true: the contact is disqualified; false (default): recycled back to nurture. */
    disqualify: z.boolean().default(false),
  })
  .strict();
export const RecycleHandoffInput = z.object({ reason: Reason }).strict();
export const ReassignHandoffInput = z.object({ ownerId: z.number().int().positive(), reason: z.string().trim().max(1000).optional() }).strict();
export type RejectHandoffInput = z.infer<typeof RejectHandoffInput>;

// ---------- notifications ----------

export const Notification = z
  .object({
    id: z.number().int(),
    kind: z.string(),
    title: z.string(),
    body: z.string().nullable(),
    link: z.string().nullable(),
    readAt: Timestamp.nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'Notification' });
export type Notification = z.infer<typeof Notification>;

export const NotificationListQuery = z.object({ unread: BoolQuery, limit: Limit, cursor: Cursor });
export const NotificationPage = z.object({ items: z.array(Notification), unread: z.number().int(), nextCursor: z.string().nullable() });
export type NotificationPage = z.infer<typeof NotificationPage>;

// ---------- symptoms dashboard ----------

export const SymptomsQuery = z.object({
  /** Months of conversion trend (ending with the current month). */
  months: z.coerce.number().int().min(1).max(36).default(12),
});

const RepRef = z.object({ id: z.number().int().nullable(), name: z.string() });

export const Symptoms = z
  .object({
    generatedAt: Timestamp,
    /**
     * Leads nobody followed up, by rep: `count` pending past the accept SLA, `stalled` accepted but still
     * sales-accepted past the follow-up SLA. total = Σ count + stalled.
     */
    notFollowedUp: z.object({
      total: z.number().int(),
      byRep: z.array(RepRef.extend({ count: z.number().int(), stalled: z.number().int(), oldestDueAt: Timestamp.nullable() })),
    }),
    /** Accept-SLA breaches (ever) per rep, with the still-pending ones among them, and follow-up SLA breaches. */
    breachesByRep: z.array(
      RepRef.extend({ breaches: z.number().int(), stillPending: z.number().int(), handled: z.number().int(), followUpBreaches: z.number().int() }),
    ),
    /** Decisions by outcome and reason (what sales says about marketing's leads). */
    outcomes: z.object({ accepted: z.number().int(), rejected: z.number().int(), recycled: z.number().int(), pending: z.number().int() }),
    reasons: z.array(z.object({ status: HandoffStatus, reason: z.string(), count: z.number().int() })),
    recentDecisions: z.array(
      z.object({
        handoffId: z.number().int(),
        contactId: z.number().int(),
        contactName: z.string(),
        status: HandoffStatus,
        reason: z.string().nullable(),
        decidedAt: Timestamp,
        decidedBy: z.string().nullable(),
      }),
    ),
    /**
     * Lead quality: contacts that became sales-ready in a month, and how many of them reached opportunity (or
     * later) afterwards, from lifecycle_transitions.
     */
    conversionTrend: z.array(
      z.object({ month: z.string(), salesReady: z.number().int(), accepted: z.number().int(), opportunity: z.number().int(), rate: z.number().nullable() }),
    ),
  })
  .meta({ id: 'Symptoms' });
export type Symptoms = z.infer<typeof Symptoms>;
