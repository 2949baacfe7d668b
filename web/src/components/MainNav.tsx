// The sidebar's main navigation as data: sections of links, each link shown when the user has its permission,
// each section (with its heading) when at least one of its links is shown.
import { Fragment, type ComponentType } from 'react';
import { NavLink } from 'react-router';
import { useMe } from '../features/identity/auth.tsx';
import { IconAccounts, IconBook, IconClock, IconContacts, IconExternal, IconImport, IconKey, IconList, IconProperties, IconRadio, IconSignal, IconUsers } from './icons.tsx';

interface NavItem {
  to: string;
  label: string;
  icon: ComponentType;
  /** Shown only with this permission (none: the section's; neither: every signed-in user). */
  permission?: string;
  /** Active only on this exact path (not on the paths below it). */
  end?: boolean;
}

export const NAV: { title: string; /** Each link's permission unless it names its own. */ permission?: string; items: NavItem[] }[] = [
  {
    title: 'CRM',
    items: [
      { to: '/contacts', label: 'Contacts', icon: IconContacts },
      { to: '/accounts', label: 'Accounts', icon: IconAccounts },
      { to: '/deals', label: 'Deals', icon: IconImport, permission: 'deals:read' },
      { to: '/imports', label: 'Imports', icon: IconImport, permission: 'contacts:import' },
    ],
  },
  {
    title: 'Market',
    permission: 'market:read',
    items: [
      { to: '/markets', label: 'Markets', icon: IconAccounts },
      { to: '/segments', label: 'Segments', icon: IconUsers },
      { to: '/lists', label: 'Lists', icon: IconList },
    ],
  },
  {
    title: 'Marketing',
    items: [
      { to: '/campaigns', label: 'Campaigns', icon: IconSignal, permission: 'campaigns:read' },
      { to: '/nurture', label: 'Nurture', icon: IconClock, permission: 'nurture:read' },
    ],
  },
  {
    title: 'Email',
    permission: 'email:read',
    items: [
      { to: '/email/templates', label: 'Templates', icon: IconBook },
      { to: '/email/outbox', label: 'Outbox', icon: IconList },
      { to: '/email/health', label: 'Email health', icon: IconSignal },
    ],
  },
  {
    title: 'Plan',
    permission: 'spend:read',
    items: [
      { to: '/objectives', label: 'Objectives', icon: IconList, permission: 'objectives:read' },
      { to: '/plan/planning', label: 'Planning', icon: IconSignal },
      { to: '/plan/costs', label: 'Costs', icon: IconList },
      { to: '/plan/tools', label: 'Tools & job map', icon: IconProperties },
      { to: '/plan/random-acts', label: 'Random acts', icon: IconRadio },
      { to: '/plan/fitness', label: 'Fitness test', icon: IconClock },
    ],
  },
  {
    title: 'Content',
    permission: 'content:read',
    items: [
      { to: '/content', label: 'Content items', icon: IconList, end: true },
      { to: '/content/calendar', label: 'Calendar', icon: IconClock },
      { to: '/content/coverage', label: 'Coverage map', icon: IconSignal },
      { to: '/content/audit', label: 'Content audit', icon: IconClock },
      { to: '/content/backlog', label: 'Topic backlog', icon: IconList },
      { to: '/content/network', label: 'SME network', icon: IconUsers },
      { to: '/content/intel', label: 'Field intel', icon: IconRadio },
      { to: '/content/library', label: 'Sales library', icon: IconBook, permission: 'library:use' },
    ],
  },
  {
    title: 'Analytics',
    permission: 'analytics:read',
    items: [
      { to: '/analytics/funnel', label: 'Funnel', icon: IconSignal },
      { to: '/analytics/attribution', label: 'Attribution', icon: IconList },
      { to: '/analytics/cpod', label: 'CPOD & ROI', icon: IconClock },
      { to: '/analytics/kpis', label: 'KPI dashboard', icon: IconSignal },
      { to: '/analytics/board', label: 'Board report', icon: IconBook },
    ],
  },
  {
    title: 'Sales',
    permission: 'lifecycle:read',
    items: [
      { to: '/handoff', label: 'Handoff queue', icon: IconList },
      { to: '/symptoms', label: 'Symptoms', icon: IconSignal },
    ],
  },
  {
    title: 'Tracking',
    permission: 'events:read',
    items: [
      { to: '/tracking/sources', label: 'Sources', icon: IconSignal },
      { to: '/tracking/live', label: 'Live events', icon: IconRadio },
    ],
  },
  {
    title: 'Settings',
    items: [
      { to: '/settings/users', label: 'Users', icon: IconUsers, permission: 'users:manage' },
      { to: '/settings/api-keys', label: 'API keys', icon: IconKey, permission: 'api_keys:manage' },
      { to: '/settings/properties', label: 'Properties', icon: IconProperties, permission: 'properties:manage' },
      { to: '/settings/scoring', label: 'Scoring', icon: IconSignal, permission: 'scoring:read' },
      { to: '/settings/lifecycle', label: 'Lifecycle', icon: IconList, permission: 'lifecycle:read' },
      { to: '/settings/webhooks', label: 'Webhooks', icon: IconExternal, permission: 'webhooks:manage' },
      { to: '/settings/audit-log', label: 'Audit log', icon: IconList, permission: 'audit:read' },
    ],
  },
];

/** The sections and links a user with these permissions sees. */
export function visibleNav(permissions: readonly string[]) {
  const allowed = (p: string | undefined) => !p || permissions.includes(p);
  return NAV.map((s) => ({ ...s, items: s.items.filter((i) => allowed(i.permission ?? s.permission)) })).filter((s) => s.items.length > 0);
}

export function MainNav() {
  const { permissions } = useMe();
  return (
    <nav className="nav" aria-label="Main">
      {visibleNav(permissions).map((section) => (
        <Fragment key={section.title}>
          <div className="nav-section">{section.title}</div>
          {section.items.map(({ to, label, icon: Icon, end }) => (
            <NavLink key={to} to={to} end={end}>
              <Icon /> {label}
            </NavLink>
          ))}
        </Fragment>
      ))}
    </nav>
  );
}
