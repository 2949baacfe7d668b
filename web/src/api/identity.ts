// Identity API: setup, sign-in, me, users, API keys, audit log.
import { ApiError, del, get, patch, post, qs } from './client.ts';
import type { ApiKey, AuditPageT, CreateApiKeyInput, CreateUserInput, Me, UpdateUserInput, User } from './types.ts';

export const keys = {
  setup: ['setup'] as const,
  me: ['me'] as const,
  users: ['users'] as const,
  owners: ['owners'] as const,
  apiKeys: ['api-keys'] as const,
  audit: (cursor: string | null) => ['audit-log', cursor] as const,
};

export const getSetupStatus = () => get<{ needsSetup: boolean }>('/setup');
export const completeSetup = (input: { token: string; email: string; name: string; password: string }) =>
  post<User>('/setup', input, { quiet401: true });

/** The signed-in user, or null when not signed in. */
export async function getMe(): Promise<Me | null> {
  try {
    return await get<Me>('/auth/me', { quiet401: true });
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}
export const login = (input: { email: string; password: string }) => post<User>('/auth/login', input, { quiet401: true });
export const logout = () => post<null>('/auth/logout', {}, { quiet401: true });

export const listUsers = () => get<{ items: User[] }>('/users');
export const listOwners = () => get<{ items: { id: number; name: string; email: string }[] }>('/owners');
export const createUser = (input: CreateUserInput) => post<User>('/users', input);
export const updateUser = (id: number, input: UpdateUserInput) => patch<User>(`/users/${id}`, input);

export const listApiKeys = () => get<{ items: ApiKey[] }>('/api-keys');
export const createApiKey = (input: CreateApiKeyInput) => post<{ apiKey: ApiKey; key: string }>('/api-keys', input);
export const revokeApiKey = (id: number) => del<ApiKey>(`/api-keys/${id}`);

export const listAuditLog = (cursor: string | null, limit = 50) => get<AuditPageT>(`/audit-log${qs({ cursor, limit })}`);
