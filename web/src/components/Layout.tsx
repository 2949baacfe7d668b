// App shell: left sidebar navigation, top bar with the signed-in user and sign-out.
import { useEffect, useRef, useState } from 'react';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { logout } from '../api/identity.ts';
import { useCan, useMe } from '../features/identity/auth.tsx';
import { initials } from './format.ts';
import { NotificationBell } from '../features/notifications/NotificationBell.tsx';
import { IconAccounts, IconBook, IconClock, IconContacts, IconExternal, IconImport, IconKey, IconList, IconProperties, IconRadio, IconSignal, IconUsers } from './icons.tsx';

const TITLES: [RegExp, string][] = [
  [/^\/contacts/, 'Contacts'],
  [/^\/accounts/, 'Accounts'],
  [/^\/deals/, 'Deals'],
  [/^\/(markets|segments|lists)/, 'Market'],
  [/^\/email/, 'Email'],
  [/^\/content/, 'Content'],
  [/^\/imports/, 'Imports'],
  [/^\/tracking/, 'Tracking'],
  [/^\/handoff/, 'Sales'],
  [/^\/symptoms/, 'Sales'],
  [/^\/plan/, 'Plan'],
  [/^\/objectives/, 'Plan'],
  [/^\/analytics/, 'Analytics'],
  [/^\/settings/, 'Settings'],
];

export function Brand() {
  return (
    <div className="brand">
      <span className="brand-mark">r</span>
      revloop
    </div>
  );
}

function UserMenu() {
  const me = useMe();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const qc = useQueryClient();
  const navigate = useNavigate();
  useEffect(() => {
    const onDoc = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDoc);
    return () => document.removeEventListener('mousedown', onDoc);
  }, []);
  const name = me.user?.name ?? 'API key';
  return (
    <div className="user-menu" ref={ref}>
      <button className="user-button" onClick={() => setOpen((o) => !o)} aria-haspopup="menu" aria-expanded={open} aria-label="User menu" data-testid="user-menu">
        <span className="avatar">{initials(name)}</span>
        <span className="user-meta">
          <div className="name">{name}</div>
          <div className="role">{me.role}</div>
        </span>
      </button>
      {open && (
        <div className="menu" role="menu">
          <div className="menu-header">
            <div style={{ fontWeight: 600 }}>{name}</div>
            <div className="muted small">{me.user?.email}</div>
          </div>
          <button
            role="menuitem"
            onClick={async () => {
              try {
                await logout();
              } finally {
                qc.setQueryData(['me'], null);
                qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' && q.queryKey[0] !== 'setup' });
                navigate('/login', { replace: true });
              }
            }}
          >
            Sign out
          </button>
        </div>
      )}
    </div>
  );
}

export function Layout() {
  const location = useLocation();
  const canImport = useCan('contacts:import');
  const canUsers = useCan('users:manage');
  const canKeys = useCan('api_keys:manage');
  const canWebhooks = useCan('webhooks:manage');
  const canProps = useCan('properties:manage');
  const canAudit = useCan('audit:read');
  const canEvents = useCan('events:read');
  const canScoring = useCan('scoring:read');
  const canLifecycle = useCan('lifecycle:read');
  const canDeals = useCan('deals:read');
  const canCampaigns = useCan('campaigns:read');
  const canMarket = useCan('market:read');
  const canAnalytics = useCan('analytics:read');
  const canNurture = useCan('nurture:read');
  const canObjectives = useCan('objectives:read');
  const canEmail = useCan('email:read');
  const canSpend = useCan('spend:read');
  const canContent = useCan('content:read');
  const canLibrary = useCan('library:use');
  const title = TITLES.find(([re]) => re.test(location.pathname))?.[1] ?? '';
  const anySettings = canUsers || canKeys || canWebhooks || canProps || canAudit || canScoring || canLifecycle;
  return (
    <div className="shell">
      <aside className="sidebar">
        <Brand />
        <nav className="nav" aria-label="Main">
          <div className="nav-section">CRM</div>
          <NavLink to="/contacts">
            <IconContacts /> Contacts
          </NavLink>
          <NavLink to="/accounts">
            <IconAccounts /> Accounts
          </NavLink>
          {canDeals && (
            <NavLink to="/deals">
              <IconImport /> Deals
            </NavLink>
          )}
          {canMarket && (
            <>
              <div className="nav-section">Market</div>
              <NavLink to="/markets">
                <IconAccounts /> Markets
              </NavLink>
              <NavLink to="/segments">
                <IconUsers /> Segments
              </NavLink>
              <NavLink to="/lists">
                <IconList /> Lists
              </NavLink>
            </>
          )}
          {canCampaigns && (
            <>
              <div className="nav-section">Marketing</div>
              <NavLink to="/campaigns">
                <IconSignal /> Campaigns
              </NavLink>
              {canNurture && (
                <NavLink to="/nurture">
                  <IconClock /> Nurture
                </NavLink>
              )}
            </>
          )}
          {canEmail && (
            <>
              <div className="nav-section">Email</div>
              <NavLink to="/email/templates">
                <IconBook /> Templates
              </NavLink>
              <NavLink to="/email/outbox">
                <IconList /> Outbox
              </NavLink>
              <NavLink to="/email/health">
                <IconSignal /> Email health
              </NavLink>
            </>
          )}
          {canObjectives && (
            <>
              <div className="nav-section">Plan</div>
              <NavLink to="/objectives">
                <IconList /> Objectives
              </NavLink>
            </>
          )}
          {canSpend && (
            <>
              <NavLink to="/plan/planning">
                <IconSignal /> Planning
              </NavLink>
              <NavLink to="/plan/costs">
                <IconList /> Costs
              </NavLink>
              <NavLink to="/plan/tools">
                <IconProperties /> Tools &amp; job map
              </NavLink>
              <NavLink to="/plan/random-acts">
                <IconRadio /> Random acts
              </NavLink>
              <NavLink to="/plan/fitness">
                <IconClock /> Fitness test
              </NavLink>
            </>
          )}
          {canImport && (
            <NavLink to="/imports">
              <IconImport /> Imports
            </NavLink>
          )}
          {canContent && (
            <>
              <div className="nav-section">Content</div>
              <NavLink to="/content" end>
                <IconList /> Content items
              </NavLink>
              <NavLink to="/content/calendar">
                <IconClock /> Calendar
              </NavLink>
              <NavLink to="/content/coverage">
                <IconSignal /> Coverage map
              </NavLink>
              <NavLink to="/content/audit">
                <IconClock /> Content audit
              </NavLink>
              <NavLink to="/content/backlog">
                <IconList /> Topic backlog
              </NavLink>
              <NavLink to="/content/network">
                <IconUsers /> SME network
              </NavLink>
              <NavLink to="/content/intel">
                <IconRadio /> Field intel
              </NavLink>
              {canLibrary && (
                <NavLink to="/content/library">
                  <IconBook /> Sales library
                </NavLink>
              )}
            </>
          )}
          {canAnalytics && (
            <>
              <div className="nav-section">Analytics</div>
              <NavLink to="/analytics/funnel">
                <IconSignal /> Funnel
              </NavLink>
              <NavLink to="/analytics/attribution">
                <IconList /> Attribution
              </NavLink>
              <NavLink to="/analytics/cpod">
                <IconClock /> CPOD &amp; ROI
              </NavLink>
              <NavLink to="/analytics/kpis">
                <IconSignal /> KPI dashboard
              </NavLink>
              <NavLink to="/analytics/board">
                <IconBook /> Board report
              </NavLink>
            </>
          )}
          {canLifecycle && (
            <>
              <div className="nav-section">Sales</div>
              <NavLink to="/handoff">
                <IconList /> Handoff queue
              </NavLink>
              <NavLink to="/symptoms">
                <IconSignal /> Symptoms
              </NavLink>
            </>
          )}
          {canEvents && (
            <>
              <div className="nav-section">Tracking</div>
              <NavLink to="/tracking/sources">
                <IconSignal /> Sources
              </NavLink>
              <NavLink to="/tracking/live">
                <IconRadio /> Live events
              </NavLink>
            </>
          )}
          {anySettings && <div className="nav-section">Settings</div>}
          {canUsers && (
            <NavLink to="/settings/users">
              <IconUsers /> Users
            </NavLink>
          )}
          {canKeys && (
            <NavLink to="/settings/api-keys">
              <IconKey /> API keys
            </NavLink>
          )}
          {canProps && (
            <NavLink to="/settings/properties">
              <IconProperties /> Properties
            </NavLink>
          )}
          {canScoring && (
            <NavLink to="/settings/scoring">
              <IconSignal /> Scoring
            </NavLink>
          )}
          {canLifecycle && (
            <NavLink to="/settings/lifecycle">
              <IconList /> Lifecycle
            </NavLink>
          )}
          {canWebhooks && (
            <NavLink to="/settings/webhooks">
              <IconExternal /> Webhooks
            </NavLink>
          )}
          {canAudit && (
            <NavLink to="/settings/audit-log">
              <IconList /> Audit log
            </NavLink>
          )}
        </nav>
        <div className="sidebar-footer">
          <a href="/api/docs" target="_blank" rel="noreferrer">
            <IconBook /> API reference <IconExternal />
          </a>
        </div>
      </aside>
      <div className="main">
        <header className="topbar">
          <div className="topbar-title">{title}</div>
          <div className="row" style={{ gap: 0 }}>
            <NotificationBell />
            <UserMenu />
          </div>
        </header>
        <main className="content">
          <Outlet />
        </main>
      </div>
    </div>
  );
}
