// Contracts of the nurture domain: programs (entry criteria, steps, exit criteria, goals, re-entry rule),
// enrolments, dry runs and test sends. Shared by server, web UI and CLI.
import { z } from 'zod';
import { Email, Timestamp } from './common.ts';
import { LifecycleStage } from './contacts.ts';
import { ContentStage } from './content.ts';

export const PROGRAM_STATUSES = ['draft', 'active', 'paused'] as const;
export const ProgramStatus = z.enum(PROGRAM_STATUSES);
export type ProgramStatus = z.infer<typeof ProgramStatus>;

export const ENROLMENT_STATUSES = ['active', 'completed', 'exited', 'goal_reached'] as const;
export const EnrolmentStatus = z.enum(ENROLMENT_STATUSES);
export type EnrolmentStatus = z.infer<typeof EnrolmentStatus>;

const Name = z.string().trim().min(1).max(200);
const EventName = z.string().trim().min(1).max(200);
export const StepId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be 1–40 lower-case letters, digits, - or _');
const TopicKey = z.string().trim().min(1).max(100);

/** A test on a contact, used by branches, exit criteria and goals. `did_event` counts events since the enrolment began. */
export const Condition = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('stage_in'), stages: z.array(LifecycleStage).min(1) }),
  z.object({ kind: z.literal('buying_stage_in'), stages: z.array(ContentStage).min(1) }),
  z.object({ kind: z.literal('score_at_least'), score: z.enum(['engagement', 'fit']), value: z.number().min(0).max(100_000) }),
  z.object({ kind: z.literal('property_equals'), key: z.string().trim().min(1).max(100), value: z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]) }),
  z.object({ kind: z.literal('in_segment'), segmentId: z.number().int().positive() }),
  z.object({ kind: z.literal('did_event'), event: EventName }),
  z.object({ kind: z.literal('unsubscribed'), topicKey: TopicKey.optional() }),
]);
export type Condition = z.infer<typeof Condition>;

export const Entry = z
  .object({
    segmentId: z.number().int().positive().optional(),
    stages: z.array(LifecycleStage).min(1).optional(),
    minEngagementScore: z.number().min(0).optional(),
    minFitScore: z.number().min(0).max(100).optional(),
    /** Contacts who did this tracked event in the last withinDays days. */
    event: z.object({ name: EventName, withinDays: z.number().int().min(1).max(365).default(30) }).optional(),
    /** Contacts whose property has this value (e.g. a form's "interest" field). */
    property: z.object({ key: z.string().trim().min(1).max(100), value: z.union([z.string().max(1000), z.number(), z.boolean()]) }).optional(),
  })
  .refine((e) => e.segmentId !== undefined || e.stages !== undefined || e.minEngagementScore !== undefined || e.minFitScore !== undefined || e.event !== undefined || e.property !== undefined, {
    message: 'needs at least one criterion (segmentId, stages, minEngagementScore, minFitScore, event or property)',
  });
export type Entry = z.infer<typeof Entry>;

/**
 * Re-entry: never (a contact enters once), after_end (again once its previous enrolment ended and cooldownDays
 * passed), when_recycled (again only after it moved to the recycled stage since its previous enrolment ended).
 */
export const Reentry = z.object({ mode: z.enum(['never', 'after_end', 'when_recycled']).default('when_recycled'), cooldownDays: z.number().int().min(0).max(3650).default(0) });
export type Reentry = z.infer<typeof Reentry>;

const Duration = z
  .object({ days: z.number().int().min(0).max(3650).default(0), hours: z.number().int().min(0).max(1000).default(0), minutes: z.number().int().min(0).max(100_000).default(0) })
  .refine((d) => d.days + d.hours + d.minutes > 0, { message: 'must be longer than zero' });
export function durationMs(d: { days: number; hours: number; minutes: number }): number {
  return ((d.days * 24 + d.hours) * 60 + d.minutes) * 60_000;
}

const base = { id: StepId, label: z.string().trim().max(200).optional(), next: StepId.nullable().optional() };
export const Step = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('send_email'), templateId: z.number().int().positive(), topicKey: TopicKey }),
  /** Stage-aware: picks the next published content item for the contact's inferred buying stage, skipping what it consumed or was sent. */
  z.object({ ...base, type: z.literal('send_content'), templateId: z.number().int().positive(), topicKey: TopicKey, fallbackStage: ContentStage.default('awareness') }),
  z.object({ ...base, type: z.literal('wait'), duration: Duration }),
  z.object({ ...base, type: z.literal('wait_until'), until: z.iso.datetime({ offset: true }) }),
  z.object({ ...base, type: z.literal('wait_event'), event: EventName, timeout: Duration, timeoutNext: StepId.nullable().optional() }),
  z.object({ ...base, type: z.literal('branch'), condition: Condition, yes: StepId.nullable(), no: StepId.nullable() }),
  z.object({ ...base, type: z.literal('update_property'), key: z.string().trim().regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be snake_case'), value: z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]) }),
  z.object({ ...base, type: z.literal('update_stage'), stage: LifecycleStage, reason: z.string().trim().max(500).optional() }),
  z.object({ ...base, type: z.literal('notify_owner'), message: z.string().trim().min(1).max(500) }),
  /** endpointId: only that webhook endpoint (while enabled), whatever events it subscribes to; none: every endpoint subscribed to nurture.step. */
  z.object({ ...base, type: z.literal('webhook'), endpointId: z.number().int().positive().optional(), note: z.string().trim().max(500).optional() }),
  z.object({ ...base, type: z.literal('exit') }),
]);
export type Step = z.infer<typeof Step>;
export type StepType = Step['type'];
export const STEP_TYPES = Step.options.map((o) => o.shape.type.value) as StepType[];
export const STEP_LABELS: Record<StepType, string> = {
  send_email: 'Send email',
  send_content: 'Send next content (stage-aware)',
  wait: 'Wait',
  wait_until: 'Wait until date',
  wait_event: 'Wait for event',
  branch: 'Branch',
  update_property: 'Update property',
  update_stage: 'Update lifecycle stage',
  notify_owner: 'Notify owner',
  webhook: 'Call webhook',
  exit: 'Exit',
};

/** A webhook endpoint a webhook step can call, as the program builder lists it (no URL path, query or secret). */
export const WebhookTarget = z.object({ id: z.number().int(), name: z.string(), host: z.string(), enabled: z.boolean(), subscribed: z.boolean().describe('subscribed to nurture.step') });
export const WebhookTargetList = z.object({ items: z.array(WebhookTarget) });

export const Goal = z.object({ name: Name, condition: Condition });

export const ProgramDefinition = z
  .object({
    entry: Entry,
    steps: z.array(Step).min(1).max(100),
    /** Checked before every step: a contact meeting one leaves the program (status exited). */
    exit: z.array(Condition).max(20).default([{ kind: 'stage_in', stages: ['sales_ready', 'sales_accepted', 'opportunity', 'customer', 'disqualified'] }, { kind: 'unsubscribed' }]),
    /** Checked before every step: a contact meeting one has converted (status goal_reached). */
    goals: z.array(Goal).max(20).default([]),
    reentry: Reentry.default({ mode: 'when_recycled', cooldownDays: 0 }),
  })
  .superRefine((d, ctx) => {
    const ids = new Set<string>();
    d.steps.forEach((s, i) => {
      if (ids.has(s.id)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'id'], message: `duplicate step id "${s.id}"` });
      ids.add(s.id);
    });
    d.steps.forEach((s, i) => {
      const refs: [string, string | null | undefined][] = [['next', s.next]];
      if (s.type === 'branch') refs.push(['yes', s.yes], ['no', s.no]);
      if (s.type === 'wait_event') refs.push(['timeoutNext', s.timeoutNext]);
      for (const [field, ref] of refs) if (ref && !ids.has(ref)) ctx.addIssue({ code: 'custom', path: ['steps', i, field], message: `no step with id "${ref}"` });
      if (s.next === s.id) ctx.addIssue({ code: 'custom', path: ['steps', i, 'next'], message: 'a step cannot lead to itself' });
    });
  });
export type ProgramDefinition = z.infer<typeof ProgramDefinition>;

export const ProgramInput = z.object({ name: Name, description: z.string().trim().max(2000).nullable().optional(), definition: ProgramDefinition });
export const ProgramPatch = z.object({ name: Name.optional(), description: z.string().trim().max(2000).nullable().optional(), definition: ProgramDefinition.optional() });

export const EnrolmentCounts = z.object({ active: z.number().int(), completed: z.number().int(), exited: z.number().int(), goalReached: z.number().int(), total: z.number().int() });

export const Program = z
  .object({
    id: z.number().int(),
    name: z.string(),
    description: z.string().nullable(),
    status: ProgramStatus,
    version: z.number().int(),
    definition: ProgramDefinition,
    counts: EnrolmentCounts,
    activatedAt: Timestamp.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'NurtureProgram' });
export type Program = z.infer<typeof Program>;
export const ProgramList = z.object({ items: z.array(Program) });

export const StepStats = z.object({ stepId: z.string(), type: z.string(), label: z.string(), waiting: z.number().int(), runs: z.number().int(), outcomes: z.record(z.string(), z.number().int()) });
export const ProgramStats = z.object({ counts: EnrolmentCounts, steps: z.array(StepStats), endReasons: z.record(z.string(), z.number().int()), versions: z.array(z.object({ version: z.number().int(), active: z.number().int() })) });

export const ContactRef = z.object({ id: z.number().int(), email: z.string(), name: z.string().nullable() });
export const Enrolment = z.object({
  id: z.number().int(),
  programId: z.number().int(),
  programName: z.string(),
  version: z.number().int(),
  contact: ContactRef,
  entryNumber: z.number().int(),
  status: EnrolmentStatus,
  stepId: z.string().nullable(),
  seq: z.number().int(),
  nextRunAt: Timestamp.nullable(),
  endReason: z.string().nullable(),
  enteredAt: Timestamp,
  endedAt: Timestamp.nullable(),
});
export type Enrolment = z.infer<typeof Enrolment>;
export const EnrolmentListQuery = z.object({
  programId: z.coerce.number().int().positive().optional(),
  contactId: z.coerce.number().int().positive().optional(),
  status: EnrolmentStatus.optional(),
  stepId: StepId.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const EnrolmentList = z.object({ items: z.array(Enrolment) });
export const StepRun = z.object({ seq: z.number().int(), stepId: z.string(), stepType: z.string(), outcome: z.record(z.string(), z.unknown()), contentItemId: z.number().int().nullable(), ranAt: Timestamp });
export const EnrolmentDetail = Enrolment.extend({ runs: z.array(StepRun) });

export const DryRunInput = z.object({ days: z.number().int().min(0).max(365).default(30), definition: ProgramDefinition.optional(), sample: z.number().int().min(1).max(200).default(25) });
export const DryRunResult = z.object({
  days: z.number().int(),
  entering: z.number().int(),
  alreadyEnrolled: z.number().int(),
  /** Where the entering contacts would be after `days` days if nothing else happened (no new events). */
  positions: z.array(z.object({ stepId: z.string().nullable(), label: z.string(), count: z.number().int() })),
  sample: z.array(z.object({ contact: ContactRef, stepId: z.string().nullable(), label: z.string(), path: z.array(z.string()) })),
  simulated: z.number().int(),
});
export type DryRunResult = z.infer<typeof DryRunResult>;

/** A test of an email step: rendered as `contactId`, delivered to `to` (default: the address of the user asking). */
export const TestSendInput = z.object({ stepId: StepId, contactId: z.number().int().positive(), to: Email.optional() });
export const TestSendResult = z.object({ status: z.string(), messageId: z.string().nullable(), contentItemId: z.number().int().nullable(), note: z.string() });
