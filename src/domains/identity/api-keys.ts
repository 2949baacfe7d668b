// API keys for the REST API: 256 random bits, shown once, stored as sha256, scoped to a role, revocable.
import { desc, eq } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import { CreateApiKeyInput, type ApiKey as ApiKeyDto } from '../../contracts/identity.ts';
import { recordAudit } from './audit.ts';
import { apiKeys, users, type ApiKey } from './schema.ts';
import { newApiKey } from './secrets.ts';

function toDto(k: ApiKey, createdBy: string | null): ApiKeyDto {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    role: k.role,
    createdBy,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}

export async function listApiKeys({ ctx }: { ctx: Ctx }): Promise<ApiKeyDto[]> {
  const rows = await ctx.db
    .select({ key: apiKeys, creator: users.email })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.createdBy))
    .orderBy(desc(apiKeys.id));
  return rows.map((r) => toDto(r.key, r.creator));
}

export async function createApiKey({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<{ apiKey: ApiKeyDto; key: string }> {
  const data = CreateApiKeyInput.parse(input);
  const { key, prefix, hash } = newApiKey();
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.insert(apiKeys).values({ name: data.name, role: data.role, prefix, keyHash: hash, createdBy: ctx.actor.userId }).returning();
    await recordAudit(tx, ctx.actor, {
      action: 'api_key.created',
      entityType: 'api_key',
      entityId: row!.id,
      summary: `Created API key "${data.name}" (${data.role})`,
      changes: { name: data.name, role: data.role, prefix },
    });
    return { apiKey: toDto(row!, ctx.actor.type === 'user' ? ctx.actor.label : null), key };
  });
}

export async function revokeApiKey({ ctx, id }: { ctx: Ctx; id: number }): Promise<ApiKeyDto> {
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.select().from(apiKeys).where(eq(apiKeys.id, id)).for('update');
    if (!row) throw new NotFoundError('API key', id);
    if (row.revokedAt) throw new ConflictError(`API key "${row.name}" is already revoked`);
    const [after] = await tx.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, id)).returning();
    await recordAudit(tx, ctx.actor, {
      action: 'api_key.revoked',
      entityType: 'api_key',
      entityId: id,
      summary: `Revoked API key "${row.name}"`,
    });
    return toDto(after!, null);
  });
}
