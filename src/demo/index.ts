// `revloop demo`: loads a generated B2B company so every screen has data. One transaction: all or nothing.
// Each domain contributes a step (DEMO_STEPS); later issues append theirs (markets, content, events, deals …).
import { and, count, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { withTransaction, type Ctx } from '../context.ts';
import { recordAudit } from '../domains/identity/audit.ts';
import { auditLog, users } from '../domains/identity/schema.ts';
import { ConflictError } from '../errors.ts';
import { createRng } from './random.ts';
import { accountsStep } from './steps/accounts.ts';
import { contactsStep } from './steps/contacts.ts';
import { contentStep } from './steps/content.ts';
import { ownersStep } from './steps/owners.ts';
import { objectivesStep } from './steps/objectives.ts';
import { propertiesStep } from './steps/properties.ts';
import { spendStep } from './steps/spend.ts';
import { marketStep } from './steps/market.ts';
import { analyticsStep } from './steps/analytics.ts';
import { emailStep } from './steps/email.ts';
import type { DemoOptions, DemoState, DemoStep, DemoUser } from './types.ts';

export type { DemoOptions, DemoStep } from './types.ts';

/** In order: later steps use what earlier ones created (owners → accounts → contacts). */
export const DEMO_STEPS: DemoStep[] = [ownersStep, propertiesStep, accountsStep, contactsStep, contentStep, objectivesStep, spendStep, marketStep, analyticsStep, emailStep];

export const DemoInput = z.object({
  contacts: z.coerce.number().int().min(1).max(1_000_000).default(12_000),
  seed: z.coerce.string().trim().min(1).max(100).default('revloop'),
  now: z.date().optional(),
});
export type DemoInput = z.input<typeof DemoInput>;

export interface DemoResult {
  seed: string;
  counts: Record<string, number>;
  users: DemoUser[];
}

export interface DemoProgress {
  /** Called with units done so far, the total, and the running step's name. */
  (done: number, total: number, step: string): void;
}

const DEMO_LOCK = 727_002;

export async function loadDemo({ ctx, input, onProgress }: { ctx: Ctx; input: DemoInput; onProgress?: DemoProgress }): Promise<DemoResult> {
  const parsed = DemoInput.parse(input);
  const options: DemoOptions = { contacts: parsed.contacts, seed: parsed.seed, now: parsed.now ?? new Date() };
  const total = DEMO_STEPS.reduce((n, step) => n + step.units(options), 0);
  const root = createRng(options.seed);
  return withTransaction(ctx, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${DEMO_LOCK})`);
    const [loaded] = await tx.select().from(auditLog).where(eq(auditLog.action, 'demo.loaded')).limit(1);
    if (loaded) {
      throw new ConflictError(
        `Demo data is already loaded (${loaded.at.toISOString().slice(0, 16).replace('T', ' ')} UTC). ` +
          'It is loaded only once per database; to start over, use a fresh data directory (--data-dir).',
      );
    }
    const [admins] = await tx
      .select({ n: count() })
      .from(users)
      .where(and(eq(users.role, 'admin'), isNull(users.disabledAt)));
    if (!admins?.n) {
      // The setup link is only offered while there are no users; demo users would lock everyone out.
      throw new ConflictError(
        'Create the admin account first: run `revloop start` and open the setup link, or `revloop users create --role admin --email you@example.com`.',
      );
    }
    let done = 0;
    const state: Omit<DemoState, 'rng' | 'tick'> = { ctx, tx, options, users: [], accounts: [], counts: {} };
    for (const step of DEMO_STEPS) {
      onProgress?.(done, total, step.name);
      await step.run({
        ...state,
        rng: root.fork(step.name),
        tick: (units) => {
          done += units;
          onProgress?.(done, total, step.name);
        },
      });
    }
    const c = state.counts;
    await recordAudit(tx, ctx.actor, {
      action: 'demo.loaded',
      entityType: 'workspace',
      entityId: 1,
      summary: `Demo data loaded: ${c.accounts ?? 0} accounts, ${c.contacts ?? 0} contacts, ${c.users ?? 0} users (seed ${options.seed})`,
      changes: { seed: options.seed, contacts: options.contacts, counts: c },
    });
    return { seed: options.seed, counts: c, users: state.users };
  });
}
