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
  /** Shown only with this permission (none: every signed-in user). */
  permission?: string;
  /** Active only on this exact path (not on the paths below it). */
  end?: boolean;
}

export const NAV: { title: string; items: NavItem[] }[] = [
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
    items: [
      { to: '/markets', label: 'Markets', icon: IconAccounts, permission: 'market:read' },
      { to: '/segments', label: 'Segments', icon: IconUsers, permission: 'market:read' },
      { to: '/lists', label: 'Lists', icon: IconList, permission: 'market:read' },
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
    items: [
      { to: '/email/templates', label: 'Templates', icon: IconBook, permission: 'email:read' },
      { to: '/email/outbox', label: 'Outbox', icon: IconList, permission: 'email:read' },
      { to: '/email/health', label: 'Email health', icon: IconSignal, permission: 'email:read' },
    ],
  },
  {
    title: 'Plan',
    items: [
      { to: '/objectives', label: 'Objectives', icon: IconList, permission: 'objectives:read' },
      { to: '/plan/planning', label: 'Planning', icon: IconSignal, permission: 'spend:read' },
      { to: '/plan/costs', label: 'Costs', icon: IconList, permission: 'spend:read' },
      { to: '/plan/tools', label: 'Tools & job map', icon: IconProperties, permission: 'spend:read' },
      { to: '/plan/random-acts', label: 'Random acts', icon: IconRadio, permission: 'spend:read' },
      { to: '/plan/fitness', label: 'Fitness test', icon: IconClock, permission: 'spend:read' },
    ],
  },
  {
    title: 'Content',
    items: [
      { to: '/content', label: 'Content items', icon: IconList, permission: 'content:read', end: true },
      { to: '/content/calendar', label: 'Calendar', icon: IconClock, permission: 'content:read' },
      { to: '/content/coverage', label: 'Coverage map', icon: IconSignal, permission: 'content:read' },
      { to: '/content/audit', label: 'Content audit', icon: IconClock, permission: 'content:read' },
      { to: '/content/backlog', label: 'Topic backlog', icon: IconList, permission: 'content:read' },
      { to: '/content/network', label: 'SME network', icon: IconUsers, permission: 'content:read' },
      { to: '/content/intel', label: 'Field intel', icon: IconRadio, permission: 'content:read' },
      { to: '/content/library', label: 'Sales library', icon: IconBook, permission: 'library:use' },
    ],
  },
  {
    title: 'Analytics',
    items: [
      { to: '/analytics/funnel', label: 'Funnel', icon: IconSignal, permission: 'analytics:read' },
      { to: '/analytics/attribution', label: 'Attribution', icon: IconList, permission: 'analytics:read' },
      { to: '/analytics/cpod', label: 'CPOD & ROI', icon: IconClock, permission: 'analytics:read' },
      { to: '/analytics/kpis', label: 'KPI dashboard', icon: IconSignal, permission: 'analytics:read' },
      { to: '/analytics/board', label: 'Board report', icon: IconBook, permission: 'analytics:read' },
    ],
  },
  {
    title: 'Sales',
    items: [
      { to: '/handoff', label: 'Handoff queue', icon: IconList, permission: 'lifecycle:read' },
      { to: '/symptoms', label: 'Symptoms', icon: IconSignal, permission: 'lifecycle:read' },
    ],
  },
  {
    title: 'Tracking',
    items: [
      { to: '/tracking/sources', label: 'Sources', icon: IconSignal, permission: 'events:read' },
      { to: '/tracking/live', label: 'Live events', icon: IconRadio, permission: 'events:read' },
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
  return NAV.map((s) => ({ ...s, items: s.items.filter((i) => !i.permission || permissions.includes(i.permission)) })).filter((s) => s.items.length > 0);
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
