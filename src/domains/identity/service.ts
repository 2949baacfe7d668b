// The identity domain's verbs: users, sessions, API keys, audit log.
export { countUsers, createUser, getUser, listOwners, listUsers, toUserDto, updateUser } from './users.ts';
export { login, logout, setupFirstAdmin, type RequestMeta } from './sessions.ts';
export { createApiKey, listApiKeys, revokeApiKey } from './api-keys.ts';
export { listAudit, listAuditLog, recordAudit, diffFields } from './audit.ts';
