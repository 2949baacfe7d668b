// The only reader of process.env. Every setting is validated with zod; a bad value stops
// start-up with one line naming the setting.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])])
  .transform((v) => v === true || v === 'true' || v === '1' || v === 'yes');

const port = z.coerce.number().int().min(0).max(65535);

export const configSchema = z.object({
  PORT: port.default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Public base URL used in links (setup link, exports). Defaults to http://HOST:PORT. */
  PUBLIC_URL: z.url().optional(),
  /** Existing PostgreSQL; when unset, revloop starts an embedded PostgreSQL under DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  /** Port of the embedded PostgreSQL; 0 picks a free one. */
  EMBEDDED_PG_PORT: port.default(0),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: bool.optional(),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24 * 14),
  /** Trust X-Forwarded-* headers (behind a reverse proxy). */
  TRUST_PROXY: bool.default(false),
  /** Largest accepted CSV upload, in megabytes. */
  MAX_UPLOAD_MB: z.coerce.number().int().min(1).max(10_000).default(1024),
  /** Failed logins per account before a temporary lock. */
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  /** Login attempts per IP per minute. */
  LOGIN_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(20),
  /** Tracking API (/v1) requests per write key (or per IP when the key is only in the body) per minute. */
  TRACKING_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(10_000_000).default(60_000),
  /**
   * Key that encrypts webhook signing secrets at rest (AES-256-GCM): 32 bytes as base64 or 64 hex characters.
   * When unset, one is generated into DATA_DIR/webhook-secret.key on first start (keep that file with backups).
   */
  WEBHOOK_SECRET_KEY: z
    .string()
    .refine((v) => /^[0-9a-fA-F]{64}$/.test(v) || Buffer.from(v, 'base64').length === 32, 'must be 32 bytes as base64 or 64 hex characters')
    .optional(),
  /** Allow webhook endpoints on loopback / private / link-local addresses (on-premise receivers). Off by default (SSRF). */
  WEBHOOKS_ALLOW_PRIVATE: bool.default(false),
  /** Run background workers in this process. */
  WORKERS: bool.default(true),
  /**
   * Port of the bounce receiver, an SMTP server for the bounces and complaints mailed back to the Return-Path of
   * revloop's messages (point the bounce domain's MX here; 25 on the internet). Unset: not started.
   */
  BOUNCE_SMTP_PORT: port.optional(),
  /** Interface of the bounce receiver; defaults to HOST. */
  BOUNCE_SMTP_HOST: z.string().min(1).optional(),
});

export type Config = z.infer<typeof configSchema> & { dataDir: string };

export class ConfigError extends Error {}

/** Reads an optional JSON config file (REVLOOP_CONFIG or ./revloop.config.json); env wins over the file. */
function readConfigFile(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const file = env.REVLOOP_CONFIG ?? (existsSync('revloop.config.json') ? 'revloop.config.json' : undefined);
  if (!file) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`Invalid configuration: cannot read config file ${file}: ${(err as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`Invalid configuration: config file ${file} must hold a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

export function loadConfig(overrides: Partial<Record<keyof z.input<typeof configSchema>, unknown>> = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, unknown> = { ...readConfigFile(env) };
  for (const key of Object.keys(configSchema.shape)) {
    const v = env[key];
    if (v !== undefined && v !== '') raw[key] = v;
  }
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) raw[k] = v;
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const key = issue.path.join('.');
    const got = raw[key];
    throw new ConfigError(
      `Invalid configuration: ${key} ${issue.message}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`,
    );
  }
  return { ...result.data, dataDir: path.resolve(result.data.DATA_DIR) };
}

/** Used by tests and by the CLI to know whether stdout is a terminal. */
export const isCI = (): boolean => Boolean(process.env.CI);
export const envValue = (key: string): string | undefined => process.env[key];
