// Accounts (companies): create, get, change, delete, list.
import { and as andOp, eq, ne, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import { withTransaction, type Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import { AccountInput, AccountListQuery, AccountPatch, type Account as AccountDto, type AccountPage } from '../../contracts/contacts.ts';
import { diffFields, recordAudit } from '../identity/audit.ts';
import { assertUserExists, onUniqueViolation } from './contacts.ts';
import { ACCOUNT_COLUMNS, ACCOUNT_JOINS, diffProperties, toAccountDto, type AccountRow } from './dto.ts';
import { atLeastPage, cappedCount, keysetPage, likePrefix, type SortColumn } from './list-query.ts';
import { checkPropertyValues, loadPropertyDefinitions, mergeProperties } from './property-definitions.ts';
import { accounts, contacts, type Account } from './schema.ts';
import { scoreAccountFit, scoreFitForContacts } from '../scoring/fit.ts';

export const ACCOUNT_SORT_COLUMNS: Record<string, SortColumn> = {
  name: { expr: 'lower(c.name)', kind: 'text', nullable: false, unique: false },
  createdAt: { expr: 'c.created_at', kind: 'timestamp', nullable: false, unique: false },
};

async function assertDomainFree(db: Queryable, domain: string | null | undefined, exceptId?: number): Promise<void> {
  if (!domain) return;
  const [row] = await db
    .select({ id: accounts.id })
    .from(accounts)
    .where(andOp(eq(accounts.workspaceId, 1), eq(accounts.domain, domain), exceptId ? ne(accounts.id, exceptId) : undefined));
  if (row) throw new ConflictError(`An account with domain ${domain} already exists (account ${row.id})`, { field: 'domain', id: row.id });
}

export async function loadAccount(db: Queryable, id: number): Promise<AccountDto> {
  const res = await db.execute(sql`select ${ACCOUNT_COLUMNS} from accounts c ${ACCOUNT_JOINS} where c.id = ${id}`);
  const row = res.rows[0] as unknown as AccountRow | undefined;
  if (!row) throw new NotFoundError('Account', id);
  return toAccountDto(row);
}

function auditable(a: Pick<Account, 'name' | 'domain' | 'industry' | 'employeeCount' | 'country' | 'ownerId'>) {
  return { name: a.name, domain: a.domain, industry: a.industry, employeeCount: a.employeeCount, country: a.country, ownerId: a.ownerId };
}

const label = (a: Pick<Account, 'name' | 'domain'>) => (a.domain ? `${a.name} (${a.domain})` : a.name);

export async function getAccount({ ctx, id }: { ctx: Ctx; id: number }): Promise<AccountDto> {
  return loadAccount(ctx.db, id);
}

export async function createAccount({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<AccountDto> {
  const data = AccountInput.parse(input);
  return withTransaction(ctx, async (tx) => {
    await assertDomainFree(tx, data.domain);
    await assertUserExists(tx, 'ownerId', data.ownerId);
    const defs = await loadPropertyDefinitions(tx, 'account');
    const props = data.properties ? checkPropertyValues(defs, data.properties).set : {};
    const [row] = await onUniqueViolation(
      'accounts_domain_unique',
      () => new ConflictError(`An account with domain ${data.domain} already exists`, { field: 'domain' }),
    )(() => tx
      .insert(accounts)
      .values({
        name: data.name,
        domain: data.domain ?? null,
        industry: data.industry ?? null,
        employeeCount: data.employeeCount ?? null,
        country: data.country ?? null,
        ownerId: data.ownerId ?? null,
        properties: props,
      })
      .returning());
    await recordAudit(tx, ctx.actor, {
      action: 'account.created',
      entityType: 'account',
      entityId: row!.id,
      summary: `Created account ${label(row!)}`,
      changes: { ...diffFields({}, auditable(row!)), ...diffProperties({}, row!.properties) },
    });
    return loadAccount(tx, row!.id);
  });
}

export async function updateAccount({ ctx, id, input }: { ctx: Ctx; id: number; input: unknown }): Promise<AccountDto> {
  const data = AccountPatch.parse(input);
  return withTransaction(ctx, async (tx) => {
    const [before] = await tx.select().from(accounts).where(eq(accounts.id, id)).for('update');
    if (!before) throw new NotFoundError('Account', id);
    if (data.domain !== undefined && data.domain !== before.domain) await assertDomainFree(tx, data.domain, id);
    await assertUserExists(tx, 'ownerId', data.ownerId);
    let properties = before.properties;
    if (data.properties) {
      const defs = await loadPropertyDefinitions(tx, 'account');
      properties = mergeProperties(before.properties, checkPropertyValues(defs, data.properties));
    }
    const pick = <K extends keyof typeof data & keyof Account>(k: K) => (data[k] === undefined ? before[k] : data[k]) as Account[K];
    const after = {
      name: pick('name'),
      domain: pick('domain'),
      industry: pick('industry'),
      employeeCount: pick('employeeCount'),
      country: pick('country'),
      ownerId: pick('ownerId'),
    };
    const changes = { ...diffFields(auditable(before), after), ...diffProperties(before.properties, properties) };
    if (!Object.keys(changes).length) return loadAccount(tx, id);
    await onUniqueViolation(
      'accounts_domain_unique',
      () => new ConflictError(`An account with domain ${after.domain} already exists`, { field: 'domain' }),
    )(() => tx
      .update(accounts)
      .set({ ...after, properties, updatedAt: sql`now()` })
      .where(eq(accounts.id, id)));
    await recordAudit(tx, ctx.actor, {
      action: 'account.updated',
      entityType: 'account',
      entityId: id,
      summary: `Updated account ${label(after)}: ${Object.keys(changes).join(', ')}`,
      changes,
    });
    await scoreAccountFit(tx, id); // its contacts' fit reads account fields
    return loadAccount(tx, id);
  });
}

/** Deletes the account; its contacts stay and lose the link (FK on delete set null). */
export async function deleteAccount({ ctx, id }: { ctx: Ctx; id: number }): Promise<{ unlinkedContacts: number }> {
  return withTransaction(ctx, async (tx) => {
    const [before] = await tx.select().from(accounts).where(eq(accounts.id, id)).for('update');
    if (!before) throw new NotFoundError('Account', id);
    const unlinked = await tx.update(contacts).set({ accountId: null }).where(eq(contacts.accountId, id)).returning({ id: contacts.id });
    await tx.delete(accounts).where(eq(accounts.id, id));
    const unlinkedContacts = unlinked.length;
    await scoreFitForContacts(tx, 1, unlinked.map((c) => c.id)); // their fit no longer has account fields
    const fields = auditable(before);
    await recordAudit(tx, ctx.actor, {
      action: 'account.deleted',
      entityType: 'account',
      entityId: id,
      summary: `Deleted account ${label(before)}; ${unlinkedContacts} contact(s) unlinked`,
      changes: {
        ...diffFields(fields, Object.fromEntries(Object.keys(fields).map((k) => [k, null]))),
        ...diffProperties(before.properties, {}),
        unlinkedContacts,
      },
    });
    return { unlinkedContacts };
  });
}

export function accountConditions(query: { q?: string; ownerId?: number }): SQL[] {
  const conds: SQL[] = [sql`c.workspace_id = 1`];
  const q = query.q?.toLowerCase();
  if (q) {
    const p = likePrefix(q);
    conds.push(sql`(lower(c.name) like ${p} or c.domain like ${p})`);
  }
  if (query.ownerId) conds.push(sql`c.owner_id = ${query.ownerId}`);
  return conds;
}

export async function listAccounts({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<z.infer<typeof AccountPage>> {
  const query = AccountListQuery.parse(input ?? {});
  const where = accountConditions(query);
  const [page, total] = await Promise.all([
    keysetPage<AccountRow>(ctx.db, {
      table: 'accounts',
      select: ACCOUNT_COLUMNS,
      joins: ACCOUNT_JOINS,
      where,
      sort: query.sort,
      columns: ACCOUNT_SORT_COLUMNS,
      cursor: query.cursor,
      limit: query.limit,
    }),
    cappedCount(ctx.db, 'accounts', where),
  ]);
  return { items: page.rows.map(toAccountDto), nextCursor: page.nextCursor, total: atLeastPage(total, page) };
}
