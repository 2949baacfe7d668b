import { z } from 'zod';
import { Email, Timestamp } from './common.ts';

export const Role = z.enum(['admin', 'marketing', 'sales', 'viewer']);
export type Role = z.infer<typeof Role>;

export const Password = z
  .string()
  .min(12, 'must be at least 12 characters')
  .max(256, 'must be at most 256 characters');

export const User = z
  .object({
    id: z.number().int(),
    email: z.string(),
    name: z.string(),
    role: Role,
    disabled: z.boolean(),
    lastLoginAt: Timestamp.nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof User>;

export const Me = z.object({
  user: User.nullable(),
  /** How the caller authenticated. */
  via: z.enum(['session', 'api_key']),
  role: Role,
  permissions: z.array(z.string()),
});
export type Me = z.infer<typeof Me>;

export const SetupStatus = z.object({ needsSetup: z.boolean() });
export const SetupInput = z.object({
  token: z.string().min(1).max(200),
  email: Email,
  name: z.string().trim().min(1).max(200),
  password: Password,
});
export type SetupInput = z.infer<typeof SetupInput>;

export const LoginInput = z.object({ email: Email, password: z.string().min(1).max(256) });
export type LoginInput = z.infer<typeof LoginInput>;

export const CreateUserInput = z.object({
  email: Email,
  name: z.string().trim().min(1).max(200),
  role: Role,
  password: Password,
});
export type CreateUserInput = z.infer<typeof CreateUserInput>;

export const UpdateUserInput = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    role: Role.optional(),
    disabled: z.boolean().optional(),
    password: Password.optional(),
  })
  .strict();
export type UpdateUserInput = z.infer<typeof UpdateUserInput>;

export const ApiKey = z
  .object({
    id: z.number().int(),
    name: z.string(),
    prefix: z.string(),
    role: Role,
    createdBy: z.string().nullable(),
    createdAt: Timestamp,
    lastUsedAt: Timestamp.nullable(),
    revokedAt: Timestamp.nullable(),
  })
  .meta({ id: 'ApiKey' });
export type ApiKey = z.infer<typeof ApiKey>;

export const CreateApiKeyInput = z.object({ name: z.string().trim().min(1).max(100), role: Role });
export type CreateApiKeyInput = z.infer<typeof CreateApiKeyInput>;
/** The plaintext key is in this response only. */
export const CreatedApiKey = z.object({ apiKey: ApiKey, key: z.string() });

export const AuditEntry = z
  .object({
    id: z.number().int(),
    at: Timestamp,
    actorType: z.string(),
    actorLabel: z.string(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string().nullable(),
    summary: z.string(),
    changes: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditQuery = z.object({
  entityType: z.string().max(50).optional(),
  entityId: z.string().max(50).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().regex(/^\d+$/, 'must be a cursor returned by this endpoint').optional(),
});
export const AuditPage = z.object({ items: z.array(AuditEntry), nextCursor: z.string().nullable() });

/** A user as shown in owner pickers: every role that reads contacts may list these. */
export const Owner = z.object({ id: z.number().int(), name: z.string(), email: z.string() }).meta({ id: 'Owner' });
export type Owner = z.infer<typeof Owner>;
