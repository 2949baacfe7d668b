// Explanations of scores (GET /contacts/:id/scores, /accounts/:id/scores): every fit rule with the value it
// read, every engagement ledger entry earned vs worth now, caps, the buying stage and its evidence.
import { z } from 'zod';
import { Timestamp } from './common.ts';
import { BuyingStage, Cap, CapPeriod, Grade, GradeThresholds } from './scoring.ts';

// ---------- explanations ----------
export const FitMatch = z.object({ ruleId: z.string(), label: z.string(), points: z.number() });
export type FitMatch = z.infer<typeof FitMatch>;

/** A fit rule in an explanation, with the field it read and the value it found. */
export const FitExplainedRule = FitMatch.extend({ field: z.string(), actual: z.string().nullable() });
export type FitExplainedRule = z.infer<typeof FitExplainedRule>;

export const FitExplanation = z.object({
  model: z.object({ id: z.number().int(), name: z.string(), version: z.number().int() }),
  score: z.number(),
  grade: Grade,
  /** Σ of positive points of all rules (the 100 % mark). */
  maxPoints: z.number(),
  matchedPoints: z.number(),
  matched: z.array(FitExplainedRule),
  /** Rules that did not match (0 points). */
  unmatched: z.array(FitExplainedRule),
  grades: GradeThresholds,
});
export type FitExplanation = z.infer<typeof FitExplanation>;

/**
 * What one engagement rule gave in one cap window (day, week or month of the rule's cap, its whole history
 * for an `ever` cap, one day for a rule without cap): how many events matched, how many earned points and how
 * many a cap stopped, Σ earned and its value now.
 */
export const EngagementEntry = z.object({
  ruleId: z.string(),
  /** The rule's label, or null when the rule was removed from the model since. */
  label: z.string().nullable(),
  period: CapPeriod,
  /** The window [start, end) (UTC calendar; weeks start on Monday); null for `ever`. */
  windowStart: Timestamp.nullable(),
  windowEnd: Timestamp.nullable(),
  /** The latest matching event's name. */
  eventName: z.string().nullable(),
  /** Matching events in the window. */
  count: z.number().int(),
  /** Of them, those that earned points (some of the last one's may have been capped). */
  times: z.number().int(),
  /** Of them, those a cap stopped entirely (0 points). */
  cappedTimes: z.number().int(),
  firstAt: Timestamp,
  lastAt: Timestamp,
  /** Points earned in the window (after caps). */
  earned: z.number(),
  /** Value now, after decay (each event decayed by its own age). */
  current: z.number(),
  /** True when a cap stopped some or all of the points. */
  capped: z.boolean(),
});
export type EngagementEntry = z.infer<typeof EngagementEntry>;

export const EngagementRuleTotal = z.object({
  ruleId: z.string(),
  label: z.string().nullable(),
  times: z.number().int(),
  earned: z.number(),
  current: z.number(),
  cappedTimes: z.number().int(),
  /** The rule's cap today (null: none, or the rule was removed). */
  cap: Cap.nullable(),
});
export type EngagementRuleTotal = z.infer<typeof EngagementRuleTotal>;

export const EngagementExplanation = z.object({
  model: z.object({ id: z.number().int(), name: z.string(), version: z.number().int(), halfLifeDays: z.number().nullable() }),
  /** Decayed to `asOf`, rounded to 2 decimals. */
  score: z.number(),
  earned: z.number(),
  asOf: Timestamp,
  rules: z.array(EngagementRuleTotal),
  /** Per rule and cap window, newest first, at most 200. */
  entries: z.array(EngagementEntry),
  entriesTruncated: z.boolean(),
});
export type EngagementExplanation = z.infer<typeof EngagementExplanation>;

export const BuyingStageExplanation = z.object({
  stage: BuyingStage.nullable(),
  /** Stage → how many matching page views in the window and when last. */
  evidence: z.array(z.object({ stage: BuyingStage, count: z.number().int(), lastAt: Timestamp })),
  windowDays: z.number().int(),
});

export const ContactScores = z
  .object({
    contactId: z.number().int(),
    fit: FitExplanation.nullable(),
    engagement: EngagementExplanation.nullable(),
    buyingStage: BuyingStageExplanation,
  })
  .meta({ id: 'ContactScores' });
export type ContactScores = z.infer<typeof ContactScores>;

export const AccountScores = z
  .object({
    accountId: z.number().int(),
    /** Best contact fit under the default fit model. */
    fit: z
      .object({ score: z.number(), grade: Grade, contactId: z.number().int(), contactEmail: z.string(), modelId: z.number().int() })
      .nullable(),
    /** Sum of the contacts' decayed engagement under the default engagement model. */
    engagement: z.object({ score: z.number(), modelId: z.number().int(), contacts: z.number().int() }).nullable(),
    contacts: z.array(
      z.object({
        id: z.number().int(),
        email: z.string(),
        name: z.string().nullable(),
        fitScore: z.number().nullable(),
        fitGrade: Grade.nullable(),
        engagement: z.number().nullable(),
        buyingStage: BuyingStage.nullable(),
      }),
    ),
    contactsTruncated: z.boolean(),
  })
  .meta({ id: 'AccountScores' });
export type AccountScores = z.infer<typeof AccountScores>;
