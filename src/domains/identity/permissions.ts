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
  /** Any signed-in user or API key (own profile, sign out). */
  'session',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  marketing: ['session', 'contacts:read', 'contacts:write', 'contacts:import', 'contacts:export', 'properties:manage', 'sources:manage', 'events:read'],
  sales: ['session', 'contacts:read', 'contacts:write', 'events:read'],
  viewer: ['session', 'contacts:read', 'events:read'],
};

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  admin: 'Everything, including users, API keys and the audit log',
  marketing: 'Contacts and accounts, imports, exports and custom properties',
  sales: 'View and edit contacts and accounts',
  viewer: 'Read-only access',
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
