// Tabs shared by the Email screens.
import { NavLink } from 'react-router';

const TABS: [string, string][] = [
  ['/email/templates', 'Templates'],
  ['/email/outbox', 'Outbox'],
  ['/email/topics', 'Topics & consent'],
  ['/email/suppressions', 'Suppressions'],
  ['/email/domain', 'Sending domain'],
  ['/email/health', 'Health'],
];

export function EmailTabs() {
  return (
    <nav className="tabs" aria-label="Email" style={{ display: 'flex', gap: 4, marginBottom: 16, borderBottom: '1px solid var(--border, #e5e7eb)', flexWrap: 'wrap' }}>
      {TABS.map(([to, label]) => (
        <NavLink key={to} to={to} className={({ isActive }) => `btn btn-ghost${isActive ? ' active' : ''}`} style={({ isActive }) => ({ borderRadius: '6px 6px 0 0', fontWeight: isActive ? 600 : 400, borderBottom: isActive ? '2px solid #4c5fd5' : '2px solid transparent' })}>
          {label}
        </NavLink>
      ))}
    </nav>
  );
}
