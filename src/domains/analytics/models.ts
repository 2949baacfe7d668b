// The attribution math, pure: each model's weights over one journey's touches, the Markov chain removal
// effect, and the largest-remainder split of a deal's amount in integer cents (credits sum exactly to it).
import type { AttributionModel } from '../../contracts/analytics.ts';

export interface JourneyTouch {
  /** Epoch ms; touches are given oldest first (ties already broken by the caller's stable order). */
  at: number;
  /** The Markov state of the touch (its campaign / channel key). */
  state: string;
}

export interface WeightOptions {
  /** When the journey converted (deal won / created), epoch ms. */
  conversionAt: number;
  halfLifeDays: number;
  /** The W-shaped model's middle milestone: when the contact became a lead (epoch ms), if known. */
  milestoneAt?: number | null;
  /** Markov removal effect per state (markovRemovalEffects). */
  removal?: Map<string, number>;
}

const DAY = 86_400_000;

function even(n: number): number[] {
  return Array.from({ length: n }, () => 1 / n);
}

/** The W model's middle touch: the last touch at or before the milestone, kept strictly between first and last. */
export function milestoneIndex(touches: JourneyTouch[], milestoneAt: number | null | undefined): number {
  const n = touches.length;
  let m = Math.floor((n - 1) / 2);
  if (milestoneAt != null) {
    m = 0;
    for (let i = 0; i < n; i++) if (touches[i]!.at <= milestoneAt) m = i;
  }
  return Math.min(Math.max(m, 1), n - 2);
}

/** Weights (summing to 1) of each touch of a journey under a model. */
export function modelWeights(model: AttributionModel, touches: JourneyTouch[], opts: WeightOptions): number[] {
  const n = touches.length;
  if (n === 0) return [];
  if (n === 1) return [1];
  switch (model) {
    case 'first':
      return touches.map((_, i) => (i === 0 ? 1 : 0));
    case 'last':
      return touches.map((_, i) => (i === n - 1 ? 1 : 0));
    case 'linear':
      return even(n);
    case 'u_shaped':
      if (n === 2) return [0.5, 0.5];
      return touches.map((_, i) => (i === 0 || i === n - 1 ? 0.4 : 0.2 / (n - 2)));
    case 'w_shaped': {
      if (n <= 3) return even(n);
      const m = milestoneIndex(touches, opts.milestoneAt);
      return touches.map((_, i) => (i === 0 || i === m || i === n - 1 ? 0.3 : 0.1 / (n - 3)));
    }
    case 'time_decay': {
      const hl = Math.max(opts.halfLifeDays, 1e-6) * DAY;
      const raw = touches.map((t) => 0.5 ** (Math.max(0, opts.conversionAt - t.at) / hl));
      const sum = raw.reduce((a, b) => a + b, 0);
      return raw.map((w) => w / sum);
    }
    case 'markov': {
      const re = opts.removal ?? new Map<string, number>();
      const counts = new Map<string, number>();
      for (const t of touches) counts.set(t.state, (counts.get(t.state) ?? 0) + 1);
      const raw = touches.map((t) => (re.get(t.state) ?? 0) / counts.get(t.state)!);
      const sum = raw.reduce((a, b) => a + b, 0);
      // No state in this journey carries any removal effect: share it evenly (linear).
      return sum > 0 ? raw.map((w) => w / sum) : even(n);
    }
  }
}

/**
 * Splits `amountCents` by the weights into whole cents that sum exactly to it (largest remainder; ties go
 * to the earlier touch). Weights need not be normalised; all-zero weights split evenly.
 */
export function allocateCents(amountCents: number, weights: number[]): number[] {
  const n = weights.length;
  if (n === 0) return [];
  const sign = amountCents < 0 ? -1 : 1;
  const total = Math.abs(Math.round(amountCents));
  let sum = weights.reduce((a, b) => a + b, 0);
  const w = sum > 0 ? weights : weights.map(() => 1);
  if (sum <= 0) sum = n;
  const exact = w.map((x) => (total * x) / sum);
  const out = exact.map((x) => Math.floor(x + 1e-9));
  let rest = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, frac: x - out[i]! })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; rest > 0 && order.length; k = (k + 1) % order.length, rest--) out[order[k]!.i]! += 1;
  // Floating error can only overshoot by flooring up (x + 1e-9); take it back from the smallest remainders.
  for (let k = order.length - 1; rest < 0; k = (k - 1 + order.length) % order.length) {
    const i = order[k]!.i;
    if (out[i]! > 0) {
      out[i]! -= 1;
      rest++;
    }
  }
  return out.map((c) => c * sign);
}

export interface MarkovPath {
  states: string[];
  converted: boolean;
  /** How many journeys follow this path (default 1). */
  count?: number;
}

const START = '\u0000start';
const CONV = '\u0000conv';
const NULL = '\u0000null';

/** The chain as arrays: per node, its out-edges (target index, probability). Node 0 = start, 1 = conversion, 2 = null. */
interface Chain {
  n: number;
  offsets: Int32Array;
  targets: Int32Array;
  probs: Float64Array;
}

function toChain(graph: Map<string, Map<string, number>>, index: Map<string, number>): Chain {
  const n = index.size;
  const offsets = new Int32Array(n + 1);
  const names: string[] = [];
  for (const [name, i] of index) names[i] = name;
  const targets: number[] = [];
  const probs: number[] = [];
  for (let i = 0; i < n; i++) {
    offsets[i] = targets.length;
    const out = graph.get(names[i]!);
    if (!out) continue;
    const edges = [...out].map(([t, c]) => [index.get(t)!, c] as const).sort((a, b) => a[0] - b[0]);
    let total = 0;
    for (const [, c] of edges) total += c;
    for (const [t, c] of edges) {
      targets.push(t);
      probs.push(c / total);
    }
  }
  offsets[n] = targets.length;
  return { n, offsets, targets: Int32Array.from(targets), probs: Float64Array.from(probs) };
}

/** Conversion probability from the start state, with node `removed` (or -1) sent to null (Gauss–Seidel). */
function conversionProbability(ch: Chain, removed: number): number {
  const p = new Float64Array(ch.n);
  p[1] = 1;
  for (let iter = 0; iter < 100_000; iter++) {
    let delta = 0;
    for (let s = 0; s < ch.n; s++) {
      if (s === 1 || s === 2 || s === removed) continue;
      let v = 0;
      for (let e = ch.offsets[s]!; e < ch.offsets[s + 1]!; e++) {
        const t = ch.targets[e]!;
        if (t !== removed) v += ch.probs[e]! * p[t]!;
      }
      const d = Math.abs(v - p[s]!);
      if (d > delta) delta = d;
      p[s] = v;
    }
    if (delta < 1e-13) break;
  }
  return p[0]!;
}

/**
 * The chain's transition counts, added path by path (consecutive repeats of a state collapse to one visit) or as
 * counts already aggregated (the path-edge rollup). The result depends only on the counts, not on the order they
 * came in: states and edges are solved in a canonical order (./markov-paths.ts sums them from different sources).
 */
export class MarkovChainCounts {
  readonly graph = new Map<string, Map<string, number>>();

  add(from: string, to: string, n: number): void {
    let m = this.graph.get(from);
    if (!m) this.graph.set(from, (m = new Map()));
    m.set(to, (m.get(to) ?? 0) + n);
  }

  addPath(states: string[], converted: boolean, count = 1): void {
    let prev = START;
    for (let i = 0; i < states.length; i++) {
      const s = states[i]!;
      if (i > 0 && s === states[i - 1]) continue;
      this.add(prev, s, count);
      prev = s;
    }
    if (prev !== START) this.add(prev, converted ? CONV : NULL, count);
  }

  /** An aggregated count: from '' is the start, to '' a path's end without conversion (analytics_path_edges). */
  addStored(from: string, to: string, n: number): void {
    this.add(from === '' ? START : from, to === '' ? NULL : to, n);
  }

  removalEffects(): Map<string, number> {
    return solveRemoval(this.graph);
  }
}

/**
 * Removal effect of each state: (P(conversion) − P(conversion without the state)) ÷ P(conversion), over a
 * first-order chain built from the paths (consecutive repeats of a state collapse to one visit).
 */
export function markovRemovalEffects(paths: MarkovPath[]): Map<string, number> {
  const chain = new MarkovChainCounts();
  for (const path of paths) chain.addPath(path.states, path.converted, path.count ?? 1);
  return chain.removalEffects();
}

/** The chain's special states, for callers that count transitions themselves (bench/analytics' SQL baseline). */
export const MARKOV_START = START;
export const MARKOV_CONV = CONV;
export const MARKOV_NULL = NULL;

/** Removal effects from transition counts (from → to → count), as markovRemovalEffects builds them from paths. */
export function removalFromTransitions(edges: { from: string; to: string; n: number }[]): Map<string, number> {
  const chain = new MarkovChainCounts();
  for (const e of edges) chain.add(e.from, e.to, e.n);
  return chain.removalEffects();
}

function solveRemoval(counts: Map<string, Map<string, number>>): Map<string, number> {
  // Edges with a count (aggregated counts may cancel to 0), states sorted: the same counts give the same floats.
  const graph = new Map<string, Map<string, number>>();
  const states = new Set<string>();
  for (const [from, out] of counts) {
    for (const [to, c] of out) {
      if (c <= 0) continue;
      let m = graph.get(from);
      if (!m) graph.set(from, (m = new Map()));
      m.set(to, c);
      if (from !== START) states.add(from);
      if (to !== CONV && to !== NULL) states.add(to);
    }
  }
  const sorted = [...states].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map<string, number>([[START, 0], [CONV, 1], [NULL, 2]]);
  for (const s of sorted) index.set(s, index.size);
  const chain = toChain(graph, index);
  const base = conversionProbability(chain, -1);
  const out = new Map<string, number>();
  for (const s of sorted) out.set(s, base > 0 ? (base - conversionProbability(chain, index.get(s)!)) / base : 0);
  return out;
}
