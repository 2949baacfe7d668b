// Hand-computed fixtures for every attribution model, the largest-remainder split and the Markov removal effect.
import { describe, expect, it } from 'vitest';
import { allocateCents, MarkovChainCounts, markovRemovalEffects, milestoneIndex, modelWeights, type JourneyTouch } from './models.ts';

const DAY = 86_400_000;
const t0 = Date.UTC(2026, 0, 1);
const journey = (...days: number[]): JourneyTouch[] => days.map((d, i) => ({ at: t0 + d * DAY, state: `s${i}` }));
const opts = { conversionAt: t0 + 30 * DAY, halfLifeDays: 7 };

describe('modelWeights', () => {
  it('gives a single touch everything under every model', () => {
    for (const m of ['first', 'last', 'linear', 'u_shaped', 'w_shaped', 'time_decay', 'markov'] as const) {
      expect(modelWeights(m, journey(3), opts)).toEqual([1]);
    }
  });

  it('first, last and linear over four touches', () => {
    const j = journey(0, 1, 2, 3);
    expect(modelWeights('first', j, opts)).toEqual([1, 0, 0, 0]);
    expect(modelWeights('last', j, opts)).toEqual([0, 0, 0, 1]);
    expect(modelWeights('linear', j, opts)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('U-shaped: 40/20/40, the 20 shared by the middle; two touches 50/50', () => {
    const w = modelWeights('u_shaped', journey(0, 1, 2, 3), opts);
    expect(w.map((x) => Math.round(x * 1000))).toEqual([400, 100, 100, 400]);
    expect(modelWeights('u_shaped', journey(0, 1), opts)).toEqual([0.5, 0.5]);
  });

  it('W-shaped: 30 first, 30 at the lead milestone, 30 last, 10 shared by the rest', () => {
    const j = journey(0, 1, 2, 3, 4);
    // Became a lead on day 1.5: the milestone is the touch of day 1.
    const w = modelWeights('w_shaped', j, { ...opts, milestoneAt: t0 + 1.5 * DAY });
    expect(w.map((x) => Math.round(x * 1000))).toEqual([300, 300, 50, 50, 300]);
    // Milestone before every touch: kept strictly between first and last (index 1).
    expect(milestoneIndex(j, t0 - DAY)).toBe(1);
    // No milestone known: the middle touch.
    expect(milestoneIndex(j, null)).toBe(2);
    expect(modelWeights('w_shaped', journey(0, 1, 2), opts)).toEqual([1 / 3, 1 / 3, 1 / 3]);
  });

  it('time decay halves the weight per half-life before conversion', () => {
    // Touches 14 and 7 days before conversion with a 7-day half-life: weights 1/4 : 1/2 → 1/3, 2/3.
    const w = modelWeights('time_decay', [{ at: t0 + 16 * DAY, state: 'a' }, { at: t0 + 23 * DAY, state: 'b' }], opts);
    expect(w[0]).toBeCloseTo(1 / 3, 12);
    expect(w[1]).toBeCloseTo(2 / 3, 12);
  });

  it('markov weights touches by their state removal effect, falling back to linear when none has any', () => {
    const removal = new Map([['a', 0.5], ['b', 1]]);
    const w = modelWeights('markov', [{ at: t0, state: 'a' }, { at: t0 + DAY, state: 'b' }, { at: t0 + 2 * DAY, state: 'b' }], { ...opts, removal });
    // a: 0.5, each b touch 1/2 → 0.5, 0.5, 0.5 → thirds.
    expect(w.map((x) => Math.round(x * 1e6))).toEqual([333333, 333333, 333333]);
    expect(modelWeights('markov', journey(0, 1), { ...opts, removal: new Map() })).toEqual([0.5, 0.5]);
  });
});

describe('allocateCents', () => {
  it('splits exactly, the leftover cent to the earliest tied touch', () => {
    expect(allocateCents(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocateCents(200, [1, 1, 1])).toEqual([67, 67, 66]);
    expect(allocateCents(1, [0.5, 0.5])).toEqual([1, 0]);
  });

  it('gives the remainder to the largest fractions first', () => {
    // 1000 × (0.4, 0.2/3 ×3, 0.4)… with 5 touches U: 400, 66.67, 66.67, 66.67, 400 → 400, 67, 67, 66, 400.
    expect(allocateCents(1000, [0.4, 0.2 / 3, 0.2 / 3, 0.2 / 3, 0.4])).toEqual([400, 67, 67, 66, 400]);
  });

  it('always sums to the amount (random weights and amounts)', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let k = 0; k < 2000; k++) {
      const n = 1 + Math.floor(rnd() * 9);
      const w = Array.from({ length: n }, () => rnd());
      const amount = Math.floor(rnd() * 10_000_000);
      const out = allocateCents(amount, w);
      expect(out.reduce((a, b) => a + b, 0)).toBe(amount);
      expect(out.every((c) => c >= 0 && Number.isInteger(c))).toBe(true);
    }
  });

  it('splits all-zero weights evenly and keeps the sign of a negative amount', () => {
    expect(allocateCents(10, [0, 0])).toEqual([5, 5]);
    expect(allocateCents(-101, [1, 1])).toEqual([-51, -50]);
  });
});

describe('markovRemovalEffects', () => {
  it('computes the removal effect on a known small graph', () => {
    // start→A (2), start→B (1); A→B (1), A→null (1); B→conv (2).
    // P = 2/3·(1/2) + 1/3·1 = 2/3. Without A: 1/3 → effect 1/2. Without B: 0 → effect 1.
    const re = markovRemovalEffects([
      { states: ['A', 'B'], converted: true },
      { states: ['A'], converted: false },
      { states: ['B'], converted: true },
    ]);
    expect(re.get('A')).toBeCloseTo(0.5, 9);
    expect(re.get('B')).toBeCloseTo(1, 9);
  });

  it('collapses repeats, counts paths and handles cycles', () => {
    // A→B→A→conv and B→null: start→A 1, start→B 1, A→B 1, B→A 1, A→conv 1, B→null 1.
    // pA = ½·pB + ½, pB = ½·pA → pA = 2/3, pB = 1/3, P = ½(2/3 + 1/3) = 1/2.
    // Without A: P = 0 → 1. Without B: pA = ½ → P = ¼ → effect ½.
    const re = markovRemovalEffects([
      { states: ['A', 'A', 'B', 'A'], converted: true },
      { states: ['B'], converted: false },
    ]);
    expect(re.get('A')).toBeCloseTo(1, 9);
    expect(re.get('B')).toBeCloseTo(0.5, 9);
    const doubled = markovRemovalEffects([{ states: ['A'], converted: true, count: 3 }, { states: ['B'], converted: false, count: 3 }]);
    expect(doubled.get('A')).toBeCloseTo(1, 9);
    expect(doubled.get('B')).toBeCloseTo(0, 9);
  });

  it('depends only on the transition counts, not on their order or how they were added', () => {
    const paths = [
      { states: ['A', 'B', 'C'], converted: true },
      { states: ['C', 'A'], converted: false, count: 2 },
      { states: ['B', 'B', 'A'], converted: true },
      { states: ['C'], converted: false },
    ];
    const a = markovRemovalEffects(paths);
    const b = markovRemovalEffects([...paths].reverse());
    expect([...b.entries()]).toEqual([...a.entries()]);
    // Stored counts ('' = start / end) of the non-converting paths, plus a path added and taken away again.
    const chain = new MarkovChainCounts();
    chain.addPath(['B', 'B', 'A'], true);
    chain.addPath(['A', 'B', 'C'], true);
    for (const [f, to, n] of [['', 'C', 3], ['C', 'A', 2], ['A', '', 2], ['C', '', 1]] as const) chain.addStored(f, to, n);
    chain.addPath(['D', 'A'], false, 1);
    chain.addPath(['D', 'A'], false, -1);
    expect([...chain.removalEffects().entries()]).toEqual([...a.entries()]);
    expect(a.has('D')).toBe(false);
  });

  it('has no effect when nothing converts', () => {
    expect(markovRemovalEffects([{ states: ['A'], converted: false }]).get('A')).toBe(0);
  });
});
