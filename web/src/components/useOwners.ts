// People who can own contacts/accounts: all users for admins (who may list users), otherwise just "me".
import { useQuery } from '@tanstack/react-query';
import { keys, listUsers } from '../api/identity.ts';
import { useCan, useMe } from '../features/identity/auth.tsx';

export interface Owner {
  id: number;
  name: string;
  email: string;
}

export function useOwners(): { owners: Owner[]; complete: boolean } {
  const me = useMe();
  const canList = useCan('users:manage');
  const users = useQuery({ queryKey: keys.users, queryFn: listUsers, enabled: canList });
  if (canList && users.data) return { owners: users.data.items.filter((u) => !u.disabled), complete: true };
  return { owners: me.user ? [{ id: me.user.id, name: me.user.name, email: me.user.email }] : [], complete: false };
}
