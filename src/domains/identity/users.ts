// Users: create, list, update (role, name, password, disable). Admin-only through the routes.
import { asc, count, eq, isNull, sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../../errors.ts';
import { CreateUserInput, UpdateUserInput, type Owner, type User as UserDto } from '../../contracts/identity.ts';
import { recordAudit } from './audit.ts';
import { sessions, users, type User } from './schema.ts';
import { hashPassword } from './secrets.ts';

export function toUserDto(u: User): UserDto {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    disabled: u.disabledAt !== null,
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
    createdAt: u.createdAt.toISOString(),
  };
}

export async function countUsers(db: Queryable): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return row?.n ?? 0;
}

export async function listUsers({ ctx }: { ctx: Ctx }): Promise<UserDto[]> {
  const rows = await ctx.db.select().from(users).orderBy(asc(users.name), asc(users.id));
  return rows.map(toUserDto);
}

/** Active users who can own contacts and accounts (for owner pickers and filters). */
export async function listOwners({ ctx }: { ctx: Ctx }): Promise<Owner[]> {
  return ctx.db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(isNull(users.disabledAt))
    .orderBy(asc(users.name), asc(users.id));
}

export async function getUser({ ctx, id }: { ctx: Ctx; id: number }): Promise<UserDto> {
  const [row] = await ctx.db.select().from(users).where(eq(users.id, id));
  if (!row) throw new NotFoundError('User', id);
  return toUserDto(row);
}

/** Inserts a user; shared by createUser and first-run setup. Throws Conflict on a taken email. */
export async function insertUser(tx: Queryable, input: CreateUserInput): Promise<User> {
  const existing = await tx.select({ id: users.id }).from(users).where(eq(users.email, input.email));
  if (existing.length) throw new ConflictError(`A user with email ${input.email} already exists`, { field: 'email' });
  const [row] = await tx
    .insert(users)
    .values({ email: input.email, name: input.name, role: input.role, passwordHash: await hashPassword(input.password) })
    .returning();
  return row!;
}

export async function createUser({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<UserDto> {
  const data = CreateUserInput.parse(input);
  return withTransaction(ctx, async (tx) => {
    const user = await insertUser(tx, data);
    await recordAudit(tx, ctx.actor, {
      action: 'user.created',
      entityType: 'user',
      entityId: user.id,
      summary: `Created user ${user.email} (${user.role})`,
      changes: { email: user.email, role: user.role },
    });
    return toUserDto(user);
  });
}

export async function updateUser({ ctx, id, input }: { ctx: Ctx; id: number; input: unknown }): Promise<UserDto> {
  const data = UpdateUserInput.parse(input);
  return withTransaction(ctx, async (tx) => {
    const [before] = await tx.select().from(users).where(eq(users.id, id)).for('update');
    if (!before) throw new NotFoundError('User', id);
    const demotesAdmin = before.role === 'admin' && ((data.role && data.role !== 'admin') || data.disabled === true);
    if (demotesAdmin) {
      const [admins] = await tx
        .select({ n: count() })
        .from(users)
        .where(sql`${users.role} = 'admin' and ${users.disabledAt} is null`);
      if ((admins?.n ?? 0) <= 1) throw new ForbiddenError('revloop needs at least one active admin; promote another user first');
    }
    const set: Partial<User> = { updatedAt: new Date() };
    const changes: Record<string, unknown> = {};
    if (data.name !== undefined && data.name !== before.name) (set.name = data.name), (changes.name = { from: before.name, to: data.name });
    if (data.role !== undefined && data.role !== before.role) (set.role = data.role), (changes.role = { from: before.role, to: data.role });
    if (data.disabled !== undefined && data.disabled !== (before.disabledAt !== null)) {
      set.disabledAt = data.disabled ? new Date() : null;
      changes.disabled = { from: before.disabledAt !== null, to: data.disabled };
    }
    if (data.password !== undefined) {
      set.passwordHash = await hashPassword(data.password);
      set.failedLoginCount = 0;
      set.lockedUntil = null;
      changes.password = 'changed';
    }
    const [after] = await tx.update(users).set(set).where(eq(users.id, id)).returning();
    // A disabled user, a changed role or a new password ends the user's sessions.
    if (changes.disabled || changes.role || changes.password) await tx.delete(sessions).where(eq(sessions.userId, id));
    if (Object.keys(changes).length) {
      await recordAudit(tx, ctx.actor, {
        action: 'user.updated',
        entityType: 'user',
        entityId: id,
        summary: `Updated user ${before.email}: ${Object.keys(changes).join(', ')}`,
        changes,
      });
    }
    return toUserDto(after!);
  });
}
