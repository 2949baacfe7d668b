// What each role may do. Every API route declares one permission (or `public`), and the
// server checks it on every request (src/http/auth.ts). Routes without a declaration fail at start-up.
import type { Role } from './schema.ts';

export const PERMISSIONS = [
  'contacts:read',
  'contacts:write',
  'contacts:import',
  'contacts:export',
  'properties:manage',
  'users:manage',
  'api_keys:manage',
  'audit:read',
  /** Create and revoke tracking sources (write keys). */
  'sources:manage',
  /** Read tracked events, source stats and rejections. */
  'events:read',
  /** Scores, score models, buying stages and rescore runs. */
  'scoring:read',
  /** Create and change score models and buying-stage rules; start a rescore. */
  'scoring:manage',
  /** Lifecycle history, sales-ready definitions, settings, the handoff queue and the symptoms dashboard. */
  'lifecycle:read',
  /** Move a contact to another stage by hand (with a reason). */
  'lifecycle:move',
  /** Lifecycle settings: thresholds, handoff points, routing, SLAs. */
  'lifecycle:configure',
  /** Propose, approve or reject sales-ready definitions (the service checks the approver's side). */
  'definitions:manage',
  /** Deals (opportunities): read. */
  'deals:read',
  /** Deals: create, update, import (CRM sync). */
  'deals:write',
  /** Work the handoff queue: accept, reject, recycle, reassign. */
  'handoff:work',
  /** Outgoing webhooks: endpoints, secrets, delivery log, redelivery (admins only). */
  'webhooks:manage',
  /** Content items, calendar, SMEs, coverage and audit reports: read. */
  'content:read',
  /** Content items, SMEs, URL rules, workflow moves (not skipping review), CSV import. */
  'content:write',
  /** Skip review: move a draft straight to scheduled / published (admins). */
  'content:publish',
  /** Post field intel (what sales hear). */
  'intel:post',
  /** The sales library: search content, copy tracked links for a contact, see what the contact read. */
  'library:use',
  /** Campaigns and their touch reports. */
  'campaigns:read',
  /** Create, change and delete campaigns. */
  'campaigns:manage',
  /** Spend (cost lines), tools, the job map, random acts, the planning view and the fitness test: read. */
  'spend:read',
  /** Cost lines (REST, CSV import), tools, job-map edits, fitness snapshots. */
  'spend:manage',
  /** Objectives, KPIs, check-ins, initiatives and the metric catalog: read. */
  'objectives:read',
  /** Create and change objectives, KPIs, check-ins and initiatives. */
  'objectives:manage',
  /** Markets, segments (members, history, preview), static lists and ICPs: read. */
  'market:read',
  /** Create and change markets, segments, lists (members, CSV) and ICPs; rebuild a segment. */
  'market:manage',
  /** Nurture programs, their enrolments, stats and dry runs: read. */
  'nurture:read',
  /** Create, change, activate, pause and resume nurture programs; test sends. */
  'nurture:manage',
  /** Email templates, outbox, topics and consent, suppressions, sending domains, health: read. */
  'email:read',
  /** Email templates, settings, sending domains, consent records, suppressions, test sends, bounce/complaint intake. */
  'email:manage',
  /** Revenue analytics: funnel, attribution, CPOD / ROI, dashboards and the board report. */
  'analytics:read',
  /** Offline touches (API, CSV import), analytics settings, a rollup refresh. */
  'analytics:manage',
  /** Any signed-in user or API key (own profile, sign out, own notifications). */
  'session',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  marketing: [
    'session', 'contacts:read', 'contacts:write', 'contacts:import', 'contacts:export', 'properties:manage', 'sources:manage', 'events:read',
    'scoring:read', 'scoring:manage', 'lifecycle:read', 'lifecycle:move', 'lifecycle:configure', 'definitions:manage', 'deals:read', 'deals:write',
    'content:read', 'content:write', 'intel:post', 'library:use', 'campaigns:read', 'campaigns:manage', 'nurture:read', 'nurture:manage', 'spend:read', 'spend:manage',
    'objectives:read', 'objectives:manage',
    'market:read', 'market:manage',
    'email:read', 'email:manage',
    'analytics:read', 'analytics:manage',
  ],
  sales: ['session', 'contacts:read', 'contacts:write', 'events:read', 'scoring:read', 'lifecycle:read', 'lifecycle:move', 'definitions:manage', 'deals:read', 'deals:write', 'handoff:work', 'content:read', 'intel:post', 'library:use', 'campaigns:read', 'nurture:read', 'objectives:read', 'market:read', 'email:read', 'analytics:read'],
  viewer: ['session', 'contacts:read', 'events:read', 'scoring:read', 'lifecycle:read', 'deals:read', 'content:read', 'campaigns:read', 'nurture:read', 'spend:read', 'objectives:read', 'market:read', 'email:read', 'analytics:read'],
};

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  admin: 'Everything, including users, API keys and the audit log',
  marketing: 'Contacts and accounts, imports, exports, custom properties, scoring models, lifecycle settings and content (items, calendar, SMEs, field intel)',
  sales: 'Contacts, accounts and deals; works the handoff queue; approves sales-ready definitions for sales; uses the content library and posts field intel',
  viewer: 'Read-only access',
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
