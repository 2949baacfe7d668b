// App shell: left sidebar navigation, top bar with the signed-in user and sign-out.
import { useEffect, useRef, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { logout } from '../api/identity.ts';
import { useMe } from '../features/identity/auth.tsx';
import { initials } from './format.ts';
import { NotificationBell } from '../features/notifications/NotificationBell.tsx';
import { IconBook, IconExternal } from './icons.tsx';
import { MainNav } from './MainNav.tsx';

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
  const title = TITLES.find(([re]) => re.test(location.pathname))?.[1] ?? '';
  return (
    <div className="shell">
      <aside className="sidebar">
        <Brand />
        <MainNav />
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
