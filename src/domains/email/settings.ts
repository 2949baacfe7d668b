// Email settings (one row per workspace): From, SMTP (password encrypted), the public base URL of tracking and
// unsubscribe links, alert thresholds. The HMAC key of tracking tokens derives from the webhook secret key.
import { createHmac } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import type { Queryable } from '../../db/client.ts';
import { SettingsInput } from '../../contracts/email.ts';
import { diffFields, recordAudit } from '../identity/audit.ts';
import { encryptSecret } from '../webhooks/crypto.ts';
import { configuredRuntime, webhookRuntime } from '../webhooks/runtime.ts';
import { emailSettings } from './schema.ts';

export const WS = 1;
export type SettingsRow = typeof emailSettings.$inferSelect;

const DEFAULTS: SettingsRow = {
  workspaceId: WS,
  fromName: 'revloop',
  fromEmail: 'marketing@example.com',
  replyTo: null,
  smtpHost: null,
  smtpPort: 587,
  smtpSecure: false,
  smtpUser: null,
  smtpPassEnc: null,
  trackingBaseUrl: null,
  bounceDomain: null,
  optOutAlertPct: 2,
  bounceAlertPct: 5,
  updatedAt: new Date(0),
};

export async function loadSettings(db: Queryable, workspaceId = WS): Promise<SettingsRow> {
  const [row] = await db.select().from(emailSettings).where(eq(emailSettings.workspaceId, workspaceId));
  return row ?? { ...DEFAULTS, workspaceId };
}

let bounceReceiver: string | null = null;
/** Set by the bounce receiver (bounce-receiver.ts) while it listens in this process; shown with the settings. */
export function setBounceReceiverAddress(address: string | null): void {
  bounceReceiver = address;
}

export function toSettingsDto(s: SettingsRow) {
  return {
    fromName: s.fromName,
    fromEmail: s.fromEmail,
    replyTo: s.replyTo,
    smtpHost: s.smtpHost,
    smtpPort: s.smtpPort,
    smtpSecure: s.smtpSecure,
    smtpUser: s.smtpUser,
    smtpPasswordSet: Boolean(s.smtpPassEnc),
    trackingBaseUrl: s.trackingBaseUrl,
    bounceDomain: s.bounceDomain,
    bounceReceiver,
    optOutAlertPct: s.optOutAlertPct,
    bounceAlertPct: s.bounceAlertPct,
  };
}

export async function getEmailSettings({ ctx }: { ctx: Ctx }) {
  return toSettingsDto(await loadSettings(ctx.db));
}

/** The AES key (webhook secret key) for stored secrets: the one buildApp configured, else DATA_DIR's. */
export function secretKey(db: Queryable, dataDir: string): Buffer {
  return (configuredRuntime(db) ?? webhookRuntime(db, dataDir)).key;
}

/** The HMAC key of tracking / unsubscribe tokens. */
export function tokenKey(db: Queryable, dataDir: string): Buffer {
  return createHmac('sha256', secretKey(db, dataDir)).update('revloop-email-tokens-v1').digest();
}

export async function updateEmailSettings({ ctx, input }: { ctx: Ctx; input: unknown }) {
  const v = SettingsInput.parse(input);
  return withTransaction(ctx, async (tx) => {
    const before = await loadSettings(tx);
    const { smtpPassword, ...rest } = v;
    const next: Partial<SettingsRow> = {};
    for (const [k, val] of Object.entries(rest)) if (val !== undefined) (next as Record<string, unknown>)[k] = val === '' ? null : val;
    if (smtpPassword !== undefined) next.smtpPassEnc = smtpPassword === '' ? null : encryptSecret(secretKey(ctx.db, ctx.dataDir), smtpPassword);
    const row = { ...before, ...next, workspaceId: WS, updatedAt: new Date() };
    const [saved] = await tx.insert(emailSettings).values(row).onConflictDoUpdate({ target: emailSettings.workspaceId, set: { ...next, updatedAt: row.updatedAt } }).returning();
    const a = toSettingsDto(before);
    const b = toSettingsDto(saved!);
    await recordAudit(tx, ctx.actor, { action: 'email.settings_updated', entityType: 'email_settings', entityId: WS, summary: 'Email settings changed', changes: diffFields(a, b) });
    return b;
  });
}

const baseUrls = new WeakMap<object, string>();
/** The server's public URL (buildApp's PUBLIC_URL or http://HOST:PORT), used when the settings name none. */
export function setDefaultBaseUrl(db: Queryable, url: string): void {
  baseUrls.set(db, url);
}
export function defaultBaseUrl(db: Queryable): string | undefined {
  return baseUrls.get(db);
}
