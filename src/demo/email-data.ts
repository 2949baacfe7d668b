// The demo company's email: subscription topics with the consent text people agreed to, MJML + Liquid
// templates (personalised with contact, account and content item fields; one stage-aware for send_content
// steps) and the two nurture programs' definitions (template ids and topic keys filled in by the step).
import type { ProgramDefinition } from '../contracts/nurture.ts';
import { DEMO_COMPANY_DOMAIN } from './data.ts';

const SITE = `https://www.${DEMO_COMPANY_DOMAIN}`;

export const DEMO_TOPICS = [
  { key: 'newsletter', name: 'Newsletter', description: 'The monthly LumenWorks Operations Digest: new guides, research and field notes.', share: 0.82, text: 'Yes, send me the monthly LumenWorks Operations Digest. I can unsubscribe at any time.' },
  { key: 'product_updates', name: 'Product updates', description: 'Release notes and recommended reading picked for where you are in your evaluation.', share: 0.64, text: 'Send me LumenWorks product news and reading recommendations. I can unsubscribe at any time.' },
  { key: 'events', name: 'Events', description: 'Webinars, roundtables and the LumenWorks Summit.', share: 0.38, text: 'Invite me to LumenWorks webinars and events. I can unsubscribe at any time.' },
] as const;
export type DemoTopicKey = (typeof DEMO_TOPICS)[number]['key'];

/** Where consent came from, by the contact's lead source (else a website form). */
export const CONSENT_SOURCES: Record<string, string> = {
  Webinar: 'Webinar registration form',
  'Trade show': 'Trade show badge scan (opt-in box ticked)',
  'Content download': 'Content download form',
  Referral: 'Website newsletter form',
  Partner: 'Partner co-marketing form',
};

const head = `<mj-head>
    <mj-attributes><mj-all font-family="Helvetica, Arial, sans-serif" /><mj-text font-size="15px" line-height="1.55" color="#1f2933" /></mj-attributes>
  </mj-head>`;
const header = `<mj-section background-color="#0f3d5e" padding="18px 24px">
      <mj-column><mj-text color="#ffffff" font-size="18px" font-weight="bold">LumenWorks</mj-text></mj-column>
    </mj-section>`;
const footer = `<mj-section padding="12px 24px">
      <mj-column>
        <mj-text font-size="12px" color="#6b7785">You receive this because you subscribed at ${DEMO_COMPANY_DOMAIN}. <a href="{{ preferences_url }}">Email preferences</a> · <a href="{{ unsubscribe_url }}">Unsubscribe</a></mj-text>
      </mj-column>
    </mj-section>`;
const doc = (body: string) => `<mjml>
  ${head}
  <mj-body background-color="#f4f6f8">
    ${header}
    <mj-section background-color="#ffffff" padding="24px">
      <mj-column>
${body}
      </mj-column>
    </mj-section>
    ${footer}
  </mj-body>
</mjml>`;

export type DemoTemplateKey = 'welcome' | 'digest' | 'next_read' | 'webinar';
export const DEMO_TEMPLATES: { key: DemoTemplateKey; name: string; topic: DemoTopicKey; subject: string; mjml: string }[] = [
  {
    key: 'welcome',
    name: 'Welcome to LumenWorks',
    topic: 'product_updates',
    subject: 'Welcome, {{ contact.first_name | default: "there" }}: three ways to start with LumenWorks',
    mjml: doc(`        <mj-text font-size="20px" font-weight="bold">Welcome{% if contact.first_name %}, {{ contact.first_name }}{% endif %}!</mj-text>
        <mj-text>Thanks for your interest{% if account %} from {{ account.name }}{% endif %}. Teams like yours use LumenWorks to see their systems, their cloud bill and their incidents in one place.</mj-text>
        <mj-text>Three places to start:</mj-text>
        <mj-text><a href="${SITE}/insights/observability-vs-monitoring-what-changed-and-why-it-matters">Observability vs monitoring</a><br /><a href="${SITE}/insights/the-hidden-cost-of-idle-kubernetes-clusters">The hidden cost of idle Kubernetes clusters</a><br /><a href="${SITE}/insights/five-signs-your-incident-process-does-not-scale">Five signs your incident process does not scale</a></mj-text>
        <mj-button background-color="#1f7a5c" href="${SITE}/product-tour">Take the product tour</mj-button>`),
  },
  {
    key: 'digest',
    name: 'Operations Digest (monthly newsletter)',
    topic: 'newsletter',
    subject: 'Operations Digest: what changed for {{ account.industry | default: "IT" }} teams this month',
    mjml: doc(`        <mj-text font-size="20px" font-weight="bold">Operations Digest</mj-text>
        <mj-text>Hi {{ contact.first_name | default: "there" }}, here is what we published this month{% if account.industry %} and what it means for {{ account.industry }}{% endif %}.</mj-text>
        <mj-text><a href="${SITE}/insights/2027-operations-outlook-what-400-it-leaders-told-us">2027 operations outlook: what 400 IT leaders told us</a><br /><a href="${SITE}/insights/finops-in-plain-words-for-engineering-managers">FinOps in plain words for engineering managers</a><br /><a href="${SITE}/insights/slos-that-executives-understand">SLOs that executives understand</a></mj-text>
        <mj-button background-color="#1f7a5c" href="${SITE}/insights">Read all insights</mj-button>`),
  },
  {
    key: 'next_read',
    name: 'Your next read (stage-aware)',
    topic: 'product_updates',
    subject: '{{ contact.first_name | default: "Hi" }}, your next read: {{ content.title | default: "new from LumenWorks" }}',
    mjml: doc(`        <mj-text>Hi {{ contact.first_name | default: "there" }},</mj-text>
        <mj-text>{% if content %}Based on what you have been reading, we think this {{ content.format }} is the right next step{% if account %} for {{ account.name }}{% endif %}:{% else %}Here is something new from LumenWorks:{% endif %}</mj-text>
        <mj-text font-size="18px" font-weight="bold">{{ content.title | default: "LumenWorks insights" }}</mj-text>
        <mj-text>{{ content.summary }}</mj-text>
        <mj-button background-color="#1f7a5c" href="{{ content.url | default: '${SITE}/insights' }}">Read it now</mj-button>
        <mj-text font-size="13px" color="#6b7785">Questions? Reply to this email and {% if account %}the team looking after {{ account.name }}{% else %}our team{% endif %} will answer.</mj-text>`),
  },
  {
    key: 'webinar',
    name: 'Webinar invitation: AI in operations',
    topic: 'events',
    subject: '{{ contact.first_name | default: "You" }}, join us live: AI in operations without the hype',
    mjml: doc(`        <mj-text font-size="20px" font-weight="bold">AI in operations, without the hype</mj-text>
        <mj-text>Hi {{ contact.first_name | default: "there" }}, we are hosting a 45-minute live session for operations leaders{% if account %} like the team at {{ account.name }}{% endif %} on where AI already helps incident response, and where it does not.</mj-text>
        <mj-button background-color="#1f7a5c" href="${SITE}/webinars/ai-in-operations">Save my seat</mj-button>`),
  },
];

/** New lead welcome (left as a draft): send, wait, branch on stage, update stage, exit. */
export function welcomeProgram(t: Record<DemoTemplateKey, number>): ProgramDefinition {
  return {
    entry: { stages: ['lead'] },
    steps: [
      { id: 'welcome', label: 'Welcome email', type: 'send_email', templateId: t.welcome, topicKey: 'product_updates', next: 'wait-3d' },
      { id: 'wait-3d', label: 'Give them three days', type: 'wait', duration: { days: 3, hours: 0, minutes: 0 }, next: 'engaged' },
      { id: 'engaged', label: 'Engaged with the welcome?', type: 'branch', condition: { kind: 'did_event', event: 'Email Link Clicked' }, yes: 'to-mql', no: 'webinar' },
      { id: 'to-mql', label: 'Mark as marketing qualified', type: 'update_stage', stage: 'marketing_qualified', reason: 'Clicked the welcome email', next: 'done' },
      { id: 'webinar', label: 'Invite to the webinar', type: 'send_email', templateId: t.webinar, topicKey: 'events', next: 'done' },
      { id: 'done', label: 'Leave the program', type: 'exit', next: null },
    ],
    exit: [{ kind: 'stage_in', stages: ['sales_ready', 'sales_accepted', 'opportunity', 'customer', 'disqualified'] }, { kind: 'unsubscribed', topicKey: 'product_updates' }],
    goals: [{ name: 'Became marketing qualified', condition: { kind: 'stage_in', stages: ['marketing_qualified'] } }],
    reentry: { mode: 'never', cooldownDays: 0 },
  };
}

/** Consideration nurture (active): stage-aware content every week or two until sales-ready. */
export function considerationProgram(t: Record<DemoTemplateKey, number>): ProgramDefinition {
  return {
    entry: { stages: ['marketing_qualified'] },
    steps: [
      { id: 'read-1', label: 'First stage-aware read', type: 'send_content', templateId: t.next_read, topicKey: 'product_updates', fallbackStage: 'interest', next: 'wait-7d' },
      { id: 'wait-7d', label: 'Wait a week', type: 'wait', duration: { days: 7, hours: 0, minutes: 0 }, next: 'read-2' },
      { id: 'read-2', label: 'Second stage-aware read', type: 'send_content', templateId: t.next_read, topicKey: 'product_updates', fallbackStage: 'interest', next: 'wait-10d' },
      { id: 'wait-10d', label: 'Wait ten days', type: 'wait', duration: { days: 10, hours: 0, minutes: 0 }, next: 'considering' },
      { id: 'considering', label: 'Reading consideration content?', type: 'branch', condition: { kind: 'buying_stage_in', stages: ['consideration', 'purchase'] }, yes: 'tell-owner', no: 'read-3' },
      { id: 'tell-owner', label: 'Tell the owner', type: 'notify_owner', message: 'A nurtured lead is reading consideration content', next: 'read-3' },
      { id: 'read-3', label: 'Third stage-aware read', type: 'send_content', templateId: t.next_read, topicKey: 'product_updates', fallbackStage: 'consideration', next: 'wait-14d' },
      { id: 'wait-14d', label: 'Wait two weeks', type: 'wait', duration: { days: 14, hours: 0, minutes: 0 }, next: 'read-4' },
      { id: 'read-4', label: 'Fourth stage-aware read', type: 'send_content', templateId: t.next_read, topicKey: 'product_updates', fallbackStage: 'consideration', next: null },
    ],
    exit: [{ kind: 'stage_in', stages: ['sales_ready', 'sales_accepted', 'opportunity', 'customer', 'disqualified'] }, { kind: 'unsubscribed', topicKey: 'product_updates' }],
    goals: [{ name: 'Became sales-ready', condition: { kind: 'stage_in', stages: ['sales_ready'] } }],
    reentry: { mode: 'when_recycled', cooldownDays: 30 },
  };
}
