// Role names and what they allow (mirrors ROLE_DESCRIPTIONS on the server).
import type { Role } from '../../api/types.ts';

export const ROLES: Record<Role, string> = {
  admin: 'Everything, including users, API keys and the audit log',
  marketing: 'Contacts and accounts, imports, exports and custom properties',
  sales: 'View and edit contacts and accounts',
  viewer: 'Read-only access',
};

export function RoleOptions() {
  return (
    <>
      {(Object.keys(ROLES) as Role[]).map((r) => (
        <option key={r} value={r}>
          {r[0]!.toUpperCase() + r.slice(1)}
        </option>
      ))}
    </>
  );
}
