// The demo company's content: LumenWorks sells an operations platform (observability, cloud cost, incident
// response) to mid-market and enterprise IT. Titles across seed 002's buying stages, aspirational and
// practical, with the experts behind them and what sales hear in the field. All made up.
import type { ContentFormat, ContentStage, ContentType } from '../contracts/content.ts';

export interface DemoContentSeed {
  title: string;
  stage: ContentStage;
  type: ContentType;
  format: ContentFormat;
  topics: string[];
  products: string[];
  segments: string[];
}

const E = 'enterprise';
const M = 'mid-market';
const P = 'public sector';

export const DEMO_CONTENT: readonly DemoContentSeed[] = [
  // epiphany: the reader realises the world is changing
  { title: 'The end of the war room: operations when nobody is on call', stage: 'epiphany', type: 'aspirational', format: 'paper', topics: ['incident response', 'ai operations'], products: ['lumen respond'], segments: [E] },
  { title: 'Your cloud bill is a product decision', stage: 'epiphany', type: 'aspirational', format: 'article', topics: ['cloud costs', 'finops'], products: ['lumen cost'], segments: [M, E] },
  { title: '2027 operations outlook: what 400 IT leaders told us', stage: 'epiphany', type: 'aspirational', format: 'ebook', topics: ['ai operations', 'observability'], products: [], segments: [E, M] },
  { title: 'Why data residency is now a board topic', stage: 'epiphany', type: 'aspirational', format: 'article', topics: ['data residency', 'compliance'], products: [], segments: [P, E] },
  { title: 'Podcast: the operations team of 2030', stage: 'epiphany', type: 'aspirational', format: 'podcast', topics: ['platform engineering', 'ai operations'], products: [], segments: [E] },
  { title: 'Checklist: is your on-call burning people out?', stage: 'epiphany', type: 'practical', format: 'infographic', topics: ['incident response'], products: [], segments: [M] },
  // awareness: the reader names the problem
  { title: 'Observability vs monitoring: what changed and why it matters', stage: 'awareness', type: 'aspirational', format: 'article', topics: ['observability'], products: ['lumen observe'], segments: [M, E] },
  { title: 'The hidden cost of idle Kubernetes clusters', stage: 'awareness', type: 'aspirational', format: 'article', topics: ['kubernetes', 'cloud costs'], products: ['lumen cost'], segments: [M] },
  { title: 'Webinar: AI in operations without the hype', stage: 'awareness', type: 'aspirational', format: 'webinar', topics: ['ai operations'], products: ['lumen respond'], segments: [E] },
  { title: 'Five signs your incident process does not scale', stage: 'awareness', type: 'practical', format: 'article', topics: ['incident response'], products: ['lumen respond'], segments: [M] },
  { title: 'FinOps in plain words for engineering managers', stage: 'awareness', type: 'practical', format: 'video', topics: ['finops', 'cloud costs'], products: ['lumen cost'], segments: [M, E] },
  { title: 'A map of EU data residency rules for operations data', stage: 'awareness', type: 'practical', format: 'paper', topics: ['data residency', 'compliance'], products: [], segments: [P, E] },
  { title: 'Platform engineering: the idea in ten minutes', stage: 'awareness', type: 'aspirational', format: 'video', topics: ['platform engineering'], products: [], segments: [E] },
  // interest: the reader explores approaches
  { title: 'How to measure the cost of a minute of downtime', stage: 'interest', type: 'practical', format: 'article', topics: ['incident response', 'observability'], products: ['lumen observe'], segments: [M, E] },
  { title: 'Guide: tagging cloud spend so teams own it', stage: 'interest', type: 'practical', format: 'ebook', topics: ['cloud costs', 'finops'], products: ['lumen cost'], segments: [M, E] },
  { title: 'SLOs that executives understand', stage: 'interest', type: 'practical', format: 'article', topics: ['observability'], products: ['lumen observe'], segments: [E] },
  { title: 'Webinar: designing an AI-assisted incident workflow', stage: 'interest', type: 'practical', format: 'webinar', topics: ['ai operations', 'incident response'], products: ['lumen respond'], segments: [E] },
  { title: 'Right-sizing Kubernetes: a step-by-step playbook', stage: 'interest', type: 'practical', format: 'paper', topics: ['kubernetes', 'cloud costs'], products: ['lumen cost'], segments: [M] },
  { title: 'Keeping telemetry in-region: architecture patterns', stage: 'interest', type: 'practical', format: 'paper', topics: ['data residency', 'observability'], products: ['lumen observe'], segments: [P, E] },
  { title: 'What good looks like: the operations maturity model', stage: 'interest', type: 'aspirational', format: 'infographic', topics: ['platform engineering', 'observability'], products: [], segments: [M, E] },
  // consideration / shortlist: the reader compares vendors
  { title: 'Buyer’s guide: choosing an observability platform', stage: 'consideration', type: 'practical', format: 'ebook', topics: ['observability'], products: ['lumen observe'], segments: [M, E] },
  { title: 'LumenWorks vs building it yourself: a three-year TCO', stage: 'consideration', type: 'practical', format: 'paper', topics: ['cloud costs', 'observability'], products: ['lumen observe', 'lumen cost'], segments: [E] },
  { title: 'Case study: Northwind cut incident time by 61%', stage: 'consideration', type: 'practical', format: 'case_study', topics: ['incident response'], products: ['lumen respond'], segments: [E] },
  { title: 'Case study: a regional bank keeps all telemetry in the EU', stage: 'consideration', type: 'practical', format: 'case_study', topics: ['data residency', 'compliance'], products: ['lumen observe'], segments: [P, E] },
  { title: 'Evaluation checklist: AI features that actually help on-call', stage: 'consideration', type: 'practical', format: 'article', topics: ['ai operations', 'incident response'], products: ['lumen respond'], segments: [E, M] },
  { title: 'Demo video: from alert to root cause in four minutes', stage: 'consideration', type: 'practical', format: 'video', topics: ['observability', 'incident response'], products: ['lumen observe'], segments: [M] },
  { title: 'Security and compliance overview (SOC 2, ISO 27001, GDPR)', stage: 'consideration', type: 'practical', format: 'paper', topics: ['compliance', 'security'], products: [], segments: [E, P] },
  // purchase: the reader builds the business case and buys
  { title: 'Business case template: observability ROI', stage: 'purchase', type: 'practical', format: 'other', topics: ['observability', 'cloud costs'], products: ['lumen observe'], segments: [M, E] },
  { title: 'Pricing explained: hosts, seats and data volume', stage: 'purchase', type: 'practical', format: 'article', topics: ['pricing'], products: ['lumen observe', 'lumen cost', 'lumen respond'], segments: [M, E] },
  { title: 'Procurement pack for the public sector', stage: 'purchase', type: 'practical', format: 'paper', topics: ['compliance', 'pricing'], products: [], segments: [P] },
  { title: 'Rollout plan: the first 30 days', stage: 'purchase', type: 'practical', format: 'ebook', topics: ['platform engineering'], products: ['lumen observe'], segments: [M, E] },
  { title: 'Case study: how Contoso made the case to their CFO', stage: 'purchase', type: 'aspirational', format: 'case_study', topics: ['finops', 'cloud costs'], products: ['lumen cost'], segments: [E] },
  // post-sale: the customer succeeds and expands
  { title: 'Onboarding webinar: dashboards your team will use', stage: 'post_sale', type: 'practical', format: 'webinar', topics: ['observability'], products: ['lumen observe'], segments: [M, E] },
  { title: 'Advanced alert routing with Lumen Respond', stage: 'post_sale', type: 'practical', format: 'article', topics: ['incident response'], products: ['lumen respond'], segments: [M, E] },
  { title: 'Customer story: from cost visibility to cost culture', stage: 'post_sale', type: 'aspirational', format: 'video', topics: ['finops'], products: ['lumen cost'], segments: [E] },
  { title: 'Quarterly cost review: a facilitator’s guide', stage: 'post_sale', type: 'practical', format: 'paper', topics: ['cloud costs', 'finops'], products: ['lumen cost'], segments: [M] },
  { title: 'Community roundtable: AI runbooks that worked', stage: 'post_sale', type: 'aspirational', format: 'podcast', topics: ['ai operations'], products: ['lumen respond'], segments: [E] },
];

/** Pieces still in the editorial workflow (not yet live). */
export const DEMO_PIPELINE: readonly (DemoContentSeed & { status: 'idea' | 'research' | 'sme_interview' | 'draft' | 'review' | 'scheduled' })[] = [
  { title: 'AI governance for operations data', stage: 'awareness', type: 'aspirational', format: 'paper', topics: ['ai operations', 'compliance'], products: [], segments: [E], status: 'research' },
  { title: 'Kubernetes cost allocation for platform teams', stage: 'interest', type: 'practical', format: 'article', topics: ['kubernetes', 'finops'], products: ['lumen cost'], segments: [M], status: 'draft' },
  { title: 'Case study: a hospital network’s first year with Lumen', stage: 'consideration', type: 'practical', format: 'case_study', topics: ['incident response', 'data residency'], products: ['lumen respond'], segments: [P], status: 'sme_interview' },
  { title: 'Webinar: the 2027 operations outlook, live', stage: 'epiphany', type: 'aspirational', format: 'webinar', topics: ['ai operations', 'observability'], products: [], segments: [E, M], status: 'scheduled' },
  { title: 'Comparing per-host and per-GB observability pricing', stage: 'consideration', type: 'practical', format: 'article', topics: ['pricing', 'observability'], products: ['lumen observe'], segments: [M], status: 'review' },
  { title: 'Migrating from Initech Monitor: a field guide', stage: 'purchase', type: 'practical', format: 'ebook', topics: ['observability', 'migration'], products: ['lumen observe'], segments: [M, E], status: 'idea' },
  { title: 'Green operations: carbon per request', stage: 'epiphany', type: 'aspirational', format: 'article', topics: ['sustainability', 'cloud costs'], products: [], segments: [E], status: 'idea' },
];

/** Retired: kept for the audit (old, superseded). */
export const DEMO_RETIRED: readonly DemoContentSeed[] = [
  { title: '2024 monitoring trends', stage: 'awareness', type: 'aspirational', format: 'ebook', topics: ['observability'], products: [], segments: [M], },
];

export const DEMO_SMES: readonly { name: string; title: string; topics: string[] }[] = [
  { name: 'Dr. Amara Osei', title: 'Principal Engineer, LumenWorks', topics: ['observability', 'kubernetes', 'platform engineering'] },
  { name: 'Lars Johansson', title: 'Head of SRE, Northwind Traders (customer)', topics: ['incident response', 'ai operations'] },
  { name: 'Rebecca Mensah', title: 'FinOps Practice Lead, LumenWorks', topics: ['finops', 'cloud costs'] },
  { name: 'Hiroshi Tanaka', title: 'Industry analyst', topics: ['ai operations', 'observability'] },
  { name: 'Claire Dubois', title: 'Data Protection Officer, LumenWorks', topics: ['data residency', 'compliance', 'security'] },
  { name: 'Mateo García', title: 'Solutions Architect, LumenWorks', topics: ['kubernetes', 'cloud costs', 'migration'] },
  { name: 'Nadia Rahman', title: 'VP Customer Success, LumenWorks', topics: ['platform engineering', 'incident response'] },
];

export const DEMO_COMPETITORS = ['initech monitor', 'umbrella cloud', 'hooli ops'] as const;

/** What sales hear: [text, topics, competitors]. `{c}` is replaced with a competitor. */
export const DEMO_INTEL: readonly (readonly [string, string[], boolean])[] = [
  ['The CIO asked whether our AI suggestions can be audited — their board wants an AI governance policy before buying.', ['ai operations', 'compliance'], false],
  ['Prospect said {c} quoted per-GB pricing and they cannot predict the bill. They want a pricing comparison.', ['pricing'], true],
  ['Two platform teams asked how we allocate Kubernetes costs to product teams.', ['kubernetes', 'finops'], false],
  ['Public sector buyer needs proof that telemetry never leaves the EU, in writing.', ['data residency', 'compliance'], false],
  ['They are replacing {c} because alerts are too noisy; asked for a migration plan.', ['migration', 'incident response'], true],
  ['Heard at a conference: everyone is asking what AI on-call really does on day one.', ['ai operations', 'incident response'], false],
  ['Finance joined the call and asked for a three-year TCO against {c}.', ['cloud costs', 'pricing'], true],
  ['SRE lead wants SLO templates for executives; they struggle to report reliability upward.', ['observability'], false],
  ['Customer wants a sustainability angle: carbon per request of their workloads.', ['sustainability', 'cloud costs'], false],
  ['{c} told them we cannot do on-prem collectors. Need a clear answer on deployment options.', ['security', 'data residency'], true],
  ['Asked three times this month: how does AI root-cause analysis avoid hallucinating?', ['ai operations'], false],
  ['Mid-market prospect has no FinOps person; wants a “cost review in a box”.', ['finops'], false],
] as const;
