// People who can own contacts/accounts: every active user (GET /api/v1/owners, any role that reads contacts).
import { useQuery } from '@tanstack/react-query';
import { keys, listOwners } from '../api/identity.ts';
import { useMe } from '../features/identity/auth.tsx';

export interface Owner {
  id: number;
  name: string;
  email: string;
}

export function useOwners(): { owners: Owner[]; complete: boolean } {
  const me = useMe();
  const owners = useQuery({ queryKey: keys.owners, queryFn: listOwners });
  if (owners.data) return { owners: owners.data.items, complete: true };
  return { owners: me.user ? [{ id: me.user.id, name: me.user.name, email: me.user.email }] : [], complete: false };
}
