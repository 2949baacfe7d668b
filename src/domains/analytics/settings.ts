// Analytics settings: the time-decay half-life and the attribution lookback (defaults in the contract).
import { withTransaction, type Ctx } from '../../context.ts';
import { AnalyticsSettings, AnalyticsSettingsPatch } from '../../contracts/analytics.ts';
import { diffFields, recordAudit } from '../identity/audit.ts';
import { loadSettings, WS } from './query.ts';
import { analyticsSettings } from './schema.ts';

export async function getAnalyticsSettings({ ctx }: { ctx: Pick<Ctx, 'db'> }): Promise<AnalyticsSettings> {
  return loadSettings(ctx.db);
}

export async function updateAnalyticsSettings({ ctx, input }: { ctx: Ctx; input: unknown }): Promise<AnalyticsSettings> {
  const patch = AnalyticsSettingsPatch.parse(input);
  return withTransaction(ctx, async (tx) => {
    const before = await loadSettings(tx);
    const next = AnalyticsSettings.parse({ ...before, ...patch });
    await tx
      .insert(analyticsSettings)
      .values({ workspaceId: WS, settings: next, updatedBy: ctx.actor.userId, updatedAt: new Date() })
      .onConflictDoUpdate({ target: analyticsSettings.workspaceId, set: { settings: next, updatedBy: ctx.actor.userId, updatedAt: new Date() } });
    await recordAudit(tx, ctx.actor, { action: 'analytics.settings_changed', entityType: 'analytics_settings', entityId: WS, summary: 'Changed the analytics settings', changes: diffFields(before, next) });
    return next;
  });
}
