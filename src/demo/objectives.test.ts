// The demo's objective step: a four-level tree with KPIs computed from the demo's lifecycle history, manual
// KPIs with check-ins, initiatives and campaigns linked to objectives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../../test/app.ts';
import { cliActor } from '../context.ts';
import { noJobs } from '../jobs.ts';
import { objectiveTree } from '../domains/plan/objectives-tree.ts';
import type { ObjectiveNode } from '../contracts/objectives.ts';
import { loadDemo } from './index.ts';

const NOW = new Date('2026-11-20T12:00:00Z');

describe('demo objectives', { timeout: 120_000 }, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await t.makeUser('admin');
    await loadDemo({ ctx: { db: t.db, actor: cliActor, log: pino({ level: 'silent' }), jobs: noJobs, dataDir: t.config.dataDir }, input: { contacts: 600, seed: 'okr', now: NOW } });
  });
  afterAll(() => t?.close());

  it('builds company → marketing → team → individual with KPIs bound to the demo data', async () => {
    const tree = await objectiveTree({ ctx: { db: t.db }, input: {}, now: NOW });
    const company = tree.roots.find((r) => r.level === 'company' && r.title.startsWith('Grow ARR'))!;
    expect(company).toBeDefined();
    const marketing = company.children.find((c) => c.level === 'marketing')!;
    const teams = marketing.children.filter((c) => c.level === 'team');
    expect(teams.length).toBe(3);
    const individuals = teams.flatMap((c) => c.children).filter((c) => c.level === 'individual');
    expect(individuals.length).toBe(3);
    const all: ObjectiveNode[] = [];
    const walk = (n: ObjectiveNode) => (all.push(n), n.children.forEach(walk));
    walk(company);
    // Catalog KPIs have values from the generated lifecycle history; manual ones from check-ins.
    const leads = all.flatMap((n) => n.kpis).find((k) => k.metricKey === 'leads.new')!;
    expect(leads.actual).toBeGreaterThan(0);
    expect(leads.target!).toBeGreaterThan(leads.baseline!);
    const webinars = all.flatMap((n) => n.kpis).find((k) => k.name === 'Webinars held')!;
    expect(webinars.actual).toBeGreaterThan(0);
    expect(company.progress).not.toBeNull();
    // Some objectives pass SMART, some do not (the unowned ones, the one without KPI).
    expect(all.filter((n) => n.smart.ok).length).toBeGreaterThan(3);
    expect(all.filter((n) => !n.smart.ok).length).toBeGreaterThan(0);
    const [linked] = (await t.db.execute(sql`select count(*)::int as n from campaigns where objective_id is not null and initiative_id is not null`)).rows as { n: number }[];
    expect(linked!.n).toBeGreaterThanOrEqual(2);
  });
});
