// First-run setup, sign-in (throttled per account; per IP in the route), sign-out.
import { eq, sql } from 'drizzle-orm';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { ConflictError, ForbiddenError, TooManyRequestsError, UnauthorizedError } from '../../errors.ts';
import { LoginInput, SetupInput } from '../../contracts/identity.ts';
import { recordAudit } from './audit.ts';
import { sessions, users, type User } from './schema.ts';
import { dummyPasswordHash, randomToken, safeEqual, sha256, verifyPassword } from './secrets.ts';
import { countUsers, insertUser } from './users.ts';

export interface RequestMeta {
  ip: string;
  userAgent: string | null;
  /** Session token the request already carried; replaced (rotated) at sign-in. */
  previousToken?: string | null;
}

const LOCK_MINUTES = 15;

async function openSession(db: Db, user: User, meta: RequestMeta, ttlHours: number) {
  const token = randomToken(32);
  const expiresAt = new Date(Date.now() + ttlHours * 3600_000);
  if (meta.previousToken) await db.delete(sessions).where(eq(sessions.id, sha256(meta.previousToken)));
  await db.insert(sessions).values({ id: sha256(token), userId: user.id, expiresAt, ip: meta.ip, userAgent: meta.userAgent?.slice(0, 500) ?? null });
  // Expired sessions are swept opportunistically.
  await db.delete(sessions).where(sql`${sessions.expiresAt} < now() - interval '1 day'`);
  return { token, expiresAt };
}

export async function setupFirstAdmin({
  db,
  input,
  expectedToken,
  meta,
  config,
}: {
  db: Db;
  input: unknown;
  expectedToken: string | null;
  meta: RequestMeta;
  config: Config;
}) {
  const data = SetupInput.parse(input);
  if (!expectedToken) throw new ConflictError('revloop is already set up; sign in instead');
  if (!safeEqual(data.token, expectedToken)) {
    throw new ForbiddenError('The setup link is not valid. Use the link printed in the terminal where revloop started.');
  }
  const user = await db.transaction(async (tx) => {
    await tx.execute(sql`lock table ${users} in exclusive mode`);
    if ((await countUsers(tx)) > 0) throw new ConflictError('revloop is already set up; sign in instead');
    const created = await insertUser(tx, { email: data.email, name: data.name, role: 'admin', password: data.password });
    await recordAudit(tx, { type: 'user', id: String(created.id), label: created.email, role: 'admin', userId: created.id }, {
      action: 'user.created',
      entityType: 'user',
      entityId: created.id,
      summary: `First admin ${created.email} created at setup`,
    });
    return created;
  });
  const lastLoginAt = new Date();
  await db.update(users).set({ lastLoginAt }).where(eq(users.id, user.id));
  const session = await openSession(db, user, meta, config.SESSION_TTL_HOURS);
  return { user: { ...user, lastLoginAt }, ...session };
}

export async function login({ db, input, meta, config }: { db: Db; input: unknown; meta: RequestMeta; config: Config }) {
  const data = LoginInput.parse(input);
  const [user] = await db.select().from(users).where(eq(users.email, data.email));
  if (!user) {
    await verifyPassword(data.password, await dummyPasswordHash());
    throw new UnauthorizedError('Email or password is incorrect');
  }
  if (user.lockedUntil && user.lockedUntil.getTime() > Date.now()) {
    const seconds = (user.lockedUntil.getTime() - Date.now()) / 1000;
    throw new TooManyRequestsError(`Too many failed sign-ins for this account; try again in ${Math.ceil(seconds / 60)} minutes`, seconds);
  }
  const ok = await verifyPassword(data.password, user.passwordHash);
  if (!ok) {
    const failures = user.failedLoginCount + 1;
    const lock = failures >= config.LOGIN_MAX_FAILURES;
    await db
      .update(users)
      .set({ failedLoginCount: lock ? 0 : failures, lockedUntil: lock ? new Date(Date.now() + LOCK_MINUTES * 60_000) : user.lockedUntil })
      .where(eq(users.id, user.id));
    if (lock) {
      await recordAudit(db, { type: 'system', id: null, label: 'system', role: 'admin', userId: null }, {
        action: 'user.locked',
        entityType: 'user',
        entityId: user.id,
        summary: `Sign-in locked for ${LOCK_MINUTES} minutes after ${failures} failed attempts (last from ${meta.ip})`,
      });
    }
    throw new UnauthorizedError('Email or password is incorrect');
  }
  if (user.disabledAt) throw new ForbiddenError('This account is disabled; ask an admin to enable it');
  await db.update(users).set({ failedLoginCount: 0, lockedUntil: null, lastLoginAt: new Date() }).where(eq(users.id, user.id));
  const session = await openSession(db, user, meta, config.SESSION_TTL_HOURS);
  return { user: { ...user, lastLoginAt: new Date() }, ...session };
}

export async function logout({ db, token }: { db: Db; token: string | undefined }) {
  if (token) await db.delete(sessions).where(eq(sessions.id, sha256(token)));
}
