// The custom property definitions of contacts or accounts (empty until loaded).
import { useQuery } from '@tanstack/react-query';
import { keys, listProperties } from '../api/contacts.ts';
import type { PropertyDefinition } from '../api/types.ts';

export function usePropertyDefs(objectType: 'contact' | 'account'): PropertyDefinition[] {
  return useQuery({ queryKey: keys.properties(objectType), queryFn: () => listProperties(objectType) }).data?.items ?? [];
}
