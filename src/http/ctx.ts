// Builds the service Ctx for a request. Routes call ctxFor(req) and pass it to one service verb.
import type { FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import type { Db } from '../db/client.ts';
import { UnauthorizedError } from '../errors.ts';
import type { Jobs } from '../jobs.ts';

export interface AppDeps {
  db: Db;
  jobs: Jobs;
  dataDir: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
  }
}

export function ctxFor(req: FastifyRequest): Ctx {
  if (!req.actor) throw new UnauthorizedError();
  const { db, jobs, dataDir } = req.server.deps;
  return { db, jobs, dataDir, actor: req.actor, log: req.log as unknown as Ctx['log'] };
}
