// The demo loader runs a list of per-domain steps inside one transaction. Later issues add their own
// step (markets, content, events, deals …) to DEMO_STEPS in src/demo/index.ts.
import type { Ctx } from '../context.ts';
import type { Tx } from '../db/client.ts';
import type { Rng } from './random.ts';

export interface DemoOptions {
  /** Number of contacts (default 12,000). Accounts scale with it, up to 300. */
  contacts: number;
  /** Same seed, same company. */
  seed: string;
  /** "Now" for generated dates (default: the current time); tests pin it. */
  now: Date;
}

export interface DemoUser {
  id: number;
  name: string;
  email: string;
  role: 'marketing' | 'sales';
}

export interface DemoAccount {
  id: number;
  name: string;
  domain: string;
  country: string;
  employeeCount: number;
  industry: string;
  ownerId: number | null;
  customer: boolean;
  createdAt: Date;
}

/** What steps share: earlier steps fill in what later ones use (owners → accounts → contacts). */
export interface DemoState {
  ctx: Ctx;
  tx: Tx;
  options: DemoOptions;
  /** This step's own random stream (forked from the seed by step name). */
  rng: Rng;
  users: DemoUser[];
  accounts: DemoAccount[];
  /** Rows created, per kind, for the summary and the audit row. */
  counts: Record<string, number>;
  /** Report units of work done (for the progress bar). */
  tick(units: number): void;
}

export interface DemoStep {
  name: string;
  /** Progress units this step reports through tick(). */
  units(options: DemoOptions): number;
  run(state: DemoState): Promise<void>;
}
