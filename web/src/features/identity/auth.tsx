// The signed-in user and their permissions, available to every page inside the app shell.
import { createContext, useContext } from 'react';
import type { Me } from '../../api/types.ts';

export const MeContext = createContext<Me | null>(null);

export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe outside the signed-in shell');
  return me;
}

/** Whether the signed-in user's role has a permission (the server enforces it anyway). */
export function useCan(permission: string): boolean {
  return useMe().permissions.includes(permission);
}
