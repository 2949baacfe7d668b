// Sales-ready definitions: versions are proposed (pending), approved or rejected per side (the user's role:
// marketing or sales), and become active only when one marketing user and one sales user have approved;
// the active version before it is superseded in the same transaction.
import { and, asc, desc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import type { Queryable, Tx } from '../../db/client.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../../errors.ts';
import { DecisionInput, DefinitionInput, SalesReadyRule, type Definition } from '../../contracts/lifecycle.ts';
import { recordAudit } from '../identity/audit.ts';
import { notify } from '../identity/notifications.ts';
import { users } from '../identity/schema.ts';
import { salesReadyApprovals, salesReadyDefinitions, type ApprovalSide } from './schema.ts';
import { checkModel, checkRuleProperties } from './rule-check.ts';
import { queueReevaluation } from './jobs.ts';

type DefRow = typeof salesReadyDefinitions.$inferSelect;
const WS = 1;

async function toDtos(db: Queryable, defs: DefRow[]): Promise<Definition[]> {
  if (!defs.length) return [];
  const ids = defs.map((d) => d.id);
  const approvals = await db
    .select({ a: salesReadyApprovals, u: { id: users.id, name: users.name, email: users.email } })
    .from(salesReadyApprovals)
    .leftJoin(users, eq(users.id, salesReadyApprovals.userId))
    .where(inArray(salesReadyApprovals.definitionId, ids))
    .orderBy(asc(salesReadyApprovals.decidedAt));
  const proposerIds = defs.map((d) => d.proposedBy).filter((x): x is number => x !== null);
  const proposers = new Map(
    proposerIds.length
      ? (await db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(inArray(users.id, proposerIds))).map((u) => [u.id, u])
      : [],
  );
  return defs.map((d) => {
    const mine = approvals.filter((x) => x.a.definitionId === d.id);
    const approvedSides = new Set(mine.filter((x) => x.a.decision === 'approve').map((x) => x.a.side));
    return {
      id: d.id,
      version: d.version,
      rule: SalesReadyRule.parse(d.rule),
      notes: d.notes,
      status: d.status,
      proposedBy: d.proposedBy === null ? null : (proposers.get(d.proposedBy) ?? null),
      createdAt: d.createdAt.toISOString(),
      activatedAt: d.activatedAt?.toISOString() ?? null,
      supersededAt: d.supersededAt?.toISOString() ?? null,
      approvals: mine.map((x) => ({ user: x.u?.id ? x.u : null, side: x.a.side, decision: x.a.decision, comment: x.a.comment, at: x.a.decidedAt.toISOString() })),
      approvedBy: { marketing: approvedSides.has('marketing'), sales: approvedSides.has('sales') },
    };
  });
}

async function getDto(db: Queryable, id: number): Promise<Definition> {
  const [row] = await db.select().from(salesReadyDefinitions).where(eq(salesReadyDefinitions.id, id));
  if (!row) throw new NotFoundError('Sales-ready definition', id);
  return (await toDtos(db, [row]))[0]!;
}

export async function listDefinitions({ ctx }: { ctx: Ctx }) {
  const rows = await ctx.db.select().from(salesReadyDefinitions).where(eq(salesReadyDefinitions.workspaceId, WS)).orderBy(desc(salesReadyDefinitions.version));
  const items = await toDtos(ctx.db, rows);
  return { items, active: items.find((d) => d.status === 'active') ?? null };
}

export async function getDefinition({ ctx, id }: { ctx: Ctx; id: number }) {
  return getDto(ctx.db, id);
}

/** Users of a side (active), to notify. */
async function sideUsers(db: Queryable, side: ApprovalSide, except: number | null): Promise<number[]> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, side), isNull(users.disabledAt), except === null ? undefined : ne(users.id, except)));
  return rows.map((r) => r.id);
}

/** Serializes definition changes of a workspace (versions, activation). */
async function lockDefinitions(tx: Tx) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('revloop:sales_ready_definitions'), ${WS})`);
}

export async function proposeDefinition({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<Definition> {
  const body = DefinitionInput.parse(input);
  await checkRuleProperties(ctx.db, 'rule.requiredProperties', body.rule.requiredProperties);
  await checkModel(ctx.db, 'rule.fitModelId', body.rule.fitModelId, 'fit');
  await checkModel(ctx.db, 'rule.engagementModelId', body.rule.engagementModelId, 'engagement');
  const id = await withTransaction(ctx, async (tx) => {
    await lockDefinitions(tx);
    const [{ max }] = (await tx.execute(sql`select coalesce(max(version), 0)::int as max from sales_ready_definitions where workspace_id = ${WS}`)).rows as [{ max: number }];
    const version = max + 1;
    const [row] = await tx
      .insert(salesReadyDefinitions)
      .values({ workspaceId: WS, version, rule: body.rule, notes: body.notes ?? null, proposedBy: ctx.actor.userId })
      .returning({ id: salesReadyDefinitions.id });
    await recordAudit(tx, ctx.actor, {
      action: 'definition.proposed',
      entityType: 'sales_ready_definition',
      entityId: row!.id,
      summary: `Proposed sales-ready definition v${version}`,
      changes: { rule: body.rule, notes: body.notes ?? null },
    });
    const recipients = [...(await sideUsers(tx, 'marketing', ctx.actor.userId)), ...(await sideUsers(tx, 'sales', ctx.actor.userId))];
    await notify(tx, {
      workspaceId: WS,
      userIds: recipients,
      kind: 'definition.approval_needed',
      title: `Sales-ready definition v${version} needs approval`,
      body: `${ctx.actor.label} proposed a new version; it takes effect when one marketing and one sales user approve it.`,
      link: '/lifecycle/settings',
    });
    return row!.id;
  });
  return getDto(ctx.db, id);
}

/** The side a person approves for: their role. Admins and API keys cannot approve for a side. */
function sideOf(ctx: Ctx): ApprovalSide {
  if (ctx.actor.type !== 'user' || ctx.actor.userId === null) {
    throw new ForbiddenError('Only a signed-in marketing or sales user can approve or reject a sales-ready definition (not an API key or the CLI)');
  }
  if (ctx.actor.role !== 'marketing' && ctx.actor.role !== 'sales') {
    throw new ForbiddenError(`A ${ctx.actor.role} cannot approve or reject for a side: one marketing user and one sales user must decide`);
  }
  return ctx.actor.role;
}

export async function decideDefinition({ ctx, id, decision, input }: { ctx: Ctx; id: number; decision: 'approve' | 'reject'; input: unknown }): Promise<Definition> {
  const body = DecisionInput.parse(input ?? {});
  const side = sideOf(ctx);
  const userId = ctx.actor.userId!;
  let activated = false;
  await withTransaction(ctx, async (tx) => {
    await lockDefinitions(tx);
    const [def] = await tx.select().from(salesReadyDefinitions).where(eq(salesReadyDefinitions.id, id)).for('update');
    if (!def) throw new NotFoundError('Sales-ready definition', id);
    if (def.status !== 'pending') throw new ConflictError(`Version ${def.version} is ${def.status}; only pending versions can be approved or rejected`);
    const [mine] = await tx
      .select({ decision: salesReadyApprovals.decision })
      .from(salesReadyApprovals)
      .where(and(eq(salesReadyApprovals.definitionId, id), eq(salesReadyApprovals.userId, userId)));
    if (mine) throw new ConflictError(`You already decided on version ${def.version} (${mine.decision})`);
    const now = new Date();
    await tx.insert(salesReadyApprovals).values({ definitionId: id, userId, side, decision, comment: body.comment ?? null, decidedAt: now });
    await recordAudit(tx, ctx.actor, {
      action: decision === 'approve' ? 'definition.approved' : 'definition.rejected',
      entityType: 'sales_ready_definition',
      entityId: id,
      summary: `${decision === 'approve' ? 'Approved' : 'Rejected'} sales-ready definition v${def.version} for ${side}${body.comment ? `: ${body.comment}` : ''}`,
      changes: { side, decision, comment: body.comment ?? null },
    });
    const other: ApprovalSide = side === 'marketing' ? 'sales' : 'marketing';
    if (decision === 'reject') {
      await tx.update(salesReadyDefinitions).set({ status: 'rejected' }).where(eq(salesReadyDefinitions.id, id));
      await notify(tx, {
        workspaceId: WS,
        userIds: [def.proposedBy === userId ? null : def.proposedBy],
        kind: 'definition.rejected',
        title: `Sales-ready definition v${def.version} was rejected by ${side}`,
        body: body.comment ?? null,
        link: '/lifecycle/settings',
      });
      return;
    }
    const sides = new Set(
      (await tx
        .select({ side: salesReadyApprovals.side })
        .from(salesReadyApprovals)
        .where(and(eq(salesReadyApprovals.definitionId, id), eq(salesReadyApprovals.decision, 'approve')))).map((r) => r.side),
    );
    if (sides.has('marketing') && sides.has('sales')) {
      const superseded = await tx
        .update(salesReadyDefinitions)
        .set({ status: 'superseded', supersededAt: now })
        .where(and(eq(salesReadyDefinitions.workspaceId, def.workspaceId), eq(salesReadyDefinitions.status, 'active')))
        .returning({ id: salesReadyDefinitions.id, version: salesReadyDefinitions.version });
      await tx.update(salesReadyDefinitions).set({ status: 'active', activatedAt: now }).where(eq(salesReadyDefinitions.id, id));
      activated = true;
      await recordAudit(tx, ctx.actor, {
        action: 'definition.activated',
        entityType: 'sales_ready_definition',
        entityId: id,
        summary: `Sales-ready definition v${def.version} is active (approved by marketing and sales)${superseded[0] ? `; v${superseded[0].version} superseded` : ''}`,
        changes: { status: { from: 'pending', to: 'active' } },
      });
      await notify(tx, {
        workspaceId: WS,
        userIds: [...(await sideUsers(tx, 'marketing', userId)), ...(await sideUsers(tx, 'sales', userId))],
        kind: 'definition.activated',
        title: `Sales-ready definition v${def.version} is now active`,
        link: '/lifecycle/settings',
      });
    } else {
      await notify(tx, {
        workspaceId: WS,
        userIds: await sideUsers(tx, other, userId),
        kind: 'definition.approval_needed',
        title: `Sales-ready definition v${def.version} is approved by ${side}; waiting for ${other}`,
        link: '/lifecycle/settings',
      });
    }
  });
  // Marketing-qualified contacts that meet the new definition go to sales now, not at their next event.
  if (activated) await queueReevaluation(ctx, ['marketing_qualified']);
  return getDto(ctx.db, id);
}
