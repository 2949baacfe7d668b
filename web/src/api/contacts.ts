// Contacts, accounts and custom property definitions API.
import { del, get, patch, post, qs } from './client.ts';
import type {
  Account,
  AccountInput,
  AccountPageT,
  AccountPatch,
  Contact,
  ContactInput,
  ContactPageT,
  ContactPatch,
  PropertyDefinition,
  PropertyDefinitionInputT,
  TimelinePageT,
} from './types.ts';

export type Params = Record<string, string | undefined>;

export const keys = {
  contacts: (params: Params) => ['contacts', params] as const,
  contact: (id: number) => ['contact', id] as const,
  timeline: (id: number) => ['contact', id, 'timeline'] as const,
  accounts: (params: Params) => ['accounts', params] as const,
  account: (id: number) => ['account', id] as const,
  properties: (objectType: 'contact' | 'account') => ['properties', objectType] as const,
};

export const listContacts = (params: Params) => get<ContactPageT>(`/contacts${qs(params)}`);
export const getContact = (id: number) => get<Contact>(`/contacts/${id}`);
export const createContact = (input: ContactInput) => post<Contact>('/contacts', input);
export const updateContact = (id: number, input: ContactPatch) => patch<Contact>(`/contacts/${id}`, input);
export const deleteContact = (id: number) => del<unknown>(`/contacts/${id}`);
export const getTimeline = (id: number, cursor?: string | null) => get<TimelinePageT>(`/contacts/${id}/timeline${qs({ cursor, limit: 25 })}`);
/** URL of the CSV export for the same filters as the list (a plain link: the browser downloads it with the session cookie). */
export const contactsExportUrl = (params: Params) => `/api/v1/contacts/export${qs(params)}`;

export const accountsExportUrl = (params: Params) => `/api/v1/accounts/export${qs(params)}`;
export const listAccounts = (params: Params) => get<AccountPageT>(`/accounts${qs(params)}`);
export const getAccount = (id: number) => get<Account>(`/accounts/${id}`);
export const createAccount = (input: AccountInput) => post<Account>('/accounts', input);
export const updateAccount = (id: number, input: AccountPatch) => patch<Account>(`/accounts/${id}`, input);
export const deleteAccount = (id: number) => del<unknown>(`/accounts/${id}`);

export const listProperties = (objectType: 'contact' | 'account') =>
  get<{ items: PropertyDefinition[] }>(`/properties${qs({ objectType })}`);
export const createProperty = (input: PropertyDefinitionInputT) => post<PropertyDefinition>('/properties', input);
export const updateProperty = (id: number, input: { label?: string; options?: string[]; description?: string | null }) =>
  patch<PropertyDefinition>(`/properties/${id}`, input);
export const deleteProperty = (id: number) => del<unknown>(`/properties/${id}`);
