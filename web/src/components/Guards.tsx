// Permission gate for pages and the not-found page.
import type { ReactNode } from 'react';
import { Link, Navigate } from 'react-router';
import { useCan, useMe } from '../features/identity/auth.tsx';
import { Empty } from './States.tsx';
import { IconAlert } from './icons.tsx';

export function RequirePermission({ permission, children }: { permission: string; children: ReactNode }) {
  const allowed = useCan(permission);
  if (allowed) return <>{children}</>;
  return (
    <div className="card">
      <Empty title="You do not have access to this page" icon={<IconAlert />} actions={<Link className="btn" to="/contacts">Go to contacts</Link>}>
        Your role does not include this. Ask an admin to change your role if you need it.
      </Empty>
    </div>
  );
}

export function NotFoundPage() {
  return (
    <div className="card">
      <Empty title="Page not found" icon={<IconAlert />} actions={<Link className="btn" to="/contacts">Go to contacts</Link>}>
        This address does not match any page in revloop.
      </Empty>
    </div>
  );
}

/** /settings → the first settings page the role may open. */
export function SettingsIndex() {
  const { permissions } = useMe();
  const pages: [string, string][] = [
    ['users:manage', '/settings/users'],
    ['api_keys:manage', '/settings/api-keys'],
    ['properties:manage', '/settings/properties'],
    ['audit:read', '/settings/audit-log'],
  ];
  const first = pages.find(([p]) => permissions.includes(p));
  return <Navigate to={first ? first[1] : '/contacts'} replace />;
}
