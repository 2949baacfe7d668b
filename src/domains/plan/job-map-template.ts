// The default job map of the marketer's job "create a qualified lead" (seed 000): solution-agnostic steps, each with
// the desired outcomes a marketer measures success by (outcome statements: direction + metric + object of control).
// Step 0 (discover a market opportunity) is a discrete job of its own, kept apart from the map.
export const JOB_NAME = 'Create a qualified lead';

export interface TemplateStep {
  key: string;
  name: string;
  goal: string;
  outcomes: string[];
  isStepZero?: boolean;
}

export const DEFAULT_JOB_MAP: TemplateStep[] = [
  {
    key: 'discover',
    name: 'Discover a market opportunity',
    isStepZero: true,
    goal: 'Find the job customers are trying to get done and the needs they struggle to satisfy; a separate competency whose findings marketing consumes.',
    outcomes: [
      'Minimize the time it takes to identify the job the target customers are trying to get done',
      'Minimize the likelihood of defining the market by products, methods or technologies instead of the customer’s job',
      'Minimize the likelihood of missing an underserved need that competitors already address',
      'Increase the confidence that the opportunity is large enough to justify a go-to-market investment',
    ],
  },
  {
    key: 'define',
    name: 'Define',
    goal: 'Decide who to target, which needs to address and what makes a lead qualified.',
    outcomes: [
      'Minimize the time it takes to agree with sales on what makes a lead sales-ready',
      'Minimize the likelihood of targeting contacts outside the ideal customer profile',
      'Minimize the likelihood of addressing a segment without knowing its core needs',
      'Minimize the number of marketing activities that tie to no measured objective',
    ],
  },
  {
    key: 'locate',
    name: 'Locate',
    goal: 'Find the prospects in the target segments, the channels they use and the inputs (data, content) the job needs.',
    outcomes: [
      'Minimize the time it takes to find contacts who match a target segment',
      'Minimize the likelihood of sending to a list whose market and needs are unknown',
      'Minimize the time it takes to find the content that answers a segment’s question at each buying stage',
      'Minimize the likelihood of missing a channel where the segment already looks for answers',
    ],
  },
  {
    key: 'prepare',
    name: 'Prepare',
    goal: 'Get the campaign, the content, the data and the tracking ready.',
    outcomes: [
      'Minimize the time it takes to produce content for each buying stage',
      'Minimize the likelihood of launching with incomplete or duplicate contact data',
      'Minimize the time it takes to set up tracking so every touch is attributed to a campaign',
      'Minimize the likelihood of a message that does not match the segment’s need',
    ],
  },
  {
    key: 'confirm',
    name: 'Confirm',
    goal: 'Make sure everything is ready before anything reaches a prospect.',
    outcomes: [
      'Minimize the likelihood of emailing contacts who have not consented or have unsubscribed',
      'Minimize the likelihood of launching a campaign with no objective, budget or owner',
      'Minimize the time it takes to verify links, tracking codes and templates before sending',
      'Minimize the likelihood that sales is not ready to follow up on the leads a campaign creates',
    ],
  },
  {
    key: 'execute',
    name: 'Execute',
    goal: 'Engage prospects across the touch points, again and again, and move them toward a buying decision.',
    outcomes: [
      'Minimize the time it takes to deliver the right content once a prospect shows interest',
      'Minimize the likelihood of over-contacting a prospect across channels',
      'Minimize the time it takes to hand a sales-ready lead to the right rep',
      'Increase the share of prospects who move to the next buying stage after a touch',
    ],
  },
  {
    key: 'monitor',
    name: 'Monitor',
    goal: 'Watch engagement, lead quality, follow-up and spend while the work runs.',
    outcomes: [
      'Minimize the time it takes to see which campaigns and content move leads forward',
      'Minimize the likelihood of missing a decline in open rates or a rise in opt-outs',
      'Minimize the likelihood that a sales-ready lead waits past the follow-up SLA',
      'Minimize the time it takes to compare actual spend with the plan for each objective',
    ],
  },
  {
    key: 'modify',
    name: 'Modify',
    goal: 'Change what does not work: budget, tactics, scoring, the sales-ready definition.',
    outcomes: [
      'Minimize the time it takes to move budget from campaigns that do not perform to those that do',
      'Minimize the likelihood of continuing a tactic that creates no qualified leads',
      'Minimize the time it takes to adjust scoring when lead quality drops',
      'Minimize the likelihood of changing a program without knowing who is in it',
    ],
  },
  {
    key: 'conclude',
    name: 'Conclude',
    goal: 'Hand over the qualified lead, close the loop on what it produced and keep what was learned.',
    outcomes: [
      'Minimize the likelihood that sales rejects a lead marketing called qualified',
      'Minimize the time it takes to attribute won revenue to the campaigns and content that influenced it',
      'Minimize the likelihood of losing what was learned when a campaign ends',
      'Increase the share of marketing spend that can be traced to pipeline',
    ],
  },
];
