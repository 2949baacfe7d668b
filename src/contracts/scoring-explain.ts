// Explanations of scores (GET /contacts/:id/scores, /accounts/:id/scores): every fit rule with the value it
// read, every engagement ledger entry earned vs worth now, caps, the buying stage and its evidence.
import { z } from 'zod';
import { Timestamp } from './common.ts';
import { BuyingStage, Cap, Grade, GradeThresholds } from './scoring.ts';

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

export const EngagementEntry = z.object({
  id: z.number().int(),
  ruleId: z.string(),
  /** The rule's label, or null when the rule was removed from the model since. */
  label: z.string().nullable(),
  eventId: z.number().int().nullable(),
  eventName: z.string().nullable(),
  occurredAt: Timestamp,
  /** Points earned when it happened (after caps; 0 when a cap stopped them all). */
  earned: z.number(),
  /** Value now, after decay. */
  current: z.number(),
  /** True when a cap stopped some or all of the rule's points. */
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
  /** Newest first, at most 200. */
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
