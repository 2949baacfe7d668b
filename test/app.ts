// Test helpers: a real app on a fresh database, and callers of every role.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { buildApp } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config.ts';
import type { Actor, Ctx } from '../src/context.ts';
import { noJobs, startJobs, type Jobs } from '../src/jobs.ts';
import { allWorkers } from '../src/workers.ts';
import { apiKeys, users, type Role } from '../src/domains/identity/schema.ts';
import { hashPassword, newApiKey } from '../src/domains/identity/secrets.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  db: TestDatabase['db'];
  config: Config;
  jobs: Jobs;
  /** Authorization headers for an API key of the role (created once per role). */
  as(role: Role): Promise<Record<string, string>>;
  /** A user of the role, with a password, for session tests. */
  makeUser(role: Role, email?: string): Promise<{ id: number; email: string; password: string }>;
  /** A service Ctx acting as a user of the role. */
  ctx(role?: Role): Promise<Ctx>;
  inject(opts: InjectOptions): Promise<LightMyRequestResponse>;
  /** A request to /api/v1<url>, as an admin API key unless other headers are given. */
  api(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  /** Rows in a table (to check that a rejected request wrote nothing). */
  count(table: string): Promise<number>;
  /** Audit rows of one entity, oldest first. */
  auditOf(entityType: string, id: number | string): Promise<{ action: string; changes: Record<string, unknown> }[]>;
  close(): Promise<void>;
}

const silent = pino({ level: 'silent' });
let seq = 0;

export async function createTestApp(opts: { jobs?: boolean; setupToken?: string | null; config?: Record<string, unknown>; webDir?: string } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'revloop-data-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...opts.config }, {});
  const running = opts.jobs
    ? await startJobs({ connectionString: database.url, log: silent, workers: allWorkers({ db: database.db, dataDir: config.dataDir, log: silent }), runWorkers: true })
    : null;
  const jobs: Jobs = running ?? noJobs;
  const app = await buildApp({ db: database.db, jobs, config, setupToken: opts.setupToken ?? null, ...(opts.webDir ? { webDir: opts.webDir } : {}) });
  await app.ready();
  const keys = new Map<Role, Record<string, string>>();
  const actors = new Map<Role, Actor>();

  const makeUser = async (role: Role, email = `${role}-${++seq}-${Date.now()}@example.test`) => {
    const password = 'correct horse battery staple';
    const [row] = await database.db
      .insert(users)
      .values({ email, name: `${role[0]!.toUpperCase()}${role.slice(1)} User ${seq}`, role, passwordHash: await hashPassword(password) })
      .returning();
    return { id: row!.id, email, password };
  };

  const self: TestApp = {
    app,
    database,
    db: database.db,
    config,
    jobs,
    makeUser,
    inject: (o) => app.inject(o),
    async api(method, url, payload, headers) {
      return app.inject({ method, url: `/api/v1${url}`, headers: headers ?? (await self.as('admin')), ...(payload === undefined ? {} : { payload: payload as object }) });
    },
    async count(table) {
      if (!/^[a-z_]+$/.test(table)) throw new Error(`bad table name ${table}`);
      const { rows } = await database.pool.query(`select count(*)::int as n from ${table}`);
      return rows[0].n as number;
    },
    async auditOf(entityType, id) {
      const { rows } = await database.pool.query('select action, changes from audit_log where entity_type = $1 and entity_id = $2 order by id', [entityType, String(id)]);
      return rows;
    },
    async as(role) {
      const existing = keys.get(role);
      if (existing) return existing;
      const user = await makeUser(role);
      const k = newApiKey();
      await database.db.insert(apiKeys).values({ name: `${role} test key`, role, prefix: k.prefix, keyHash: k.hash, createdBy: user.id });
      const headers = { authorization: `Bearer ${k.key}` };
      keys.set(role, headers);
      return headers;
    },
    async ctx(role = 'admin') {
      let actor = actors.get(role);
      if (!actor) {
        const user = await makeUser(role);
        actor = { type: 'user', id: String(user.id), label: user.email, role, userId: user.id };
        actors.set(role, actor);
      }
      return { db: database.db, jobs, actor, log: silent, dataDir: config.dataDir };
    },
    async close() {
      await app.close();
      if (running) await running.stop();
      await database.drop();
    },
  };
  return self;
}
