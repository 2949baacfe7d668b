// The scoring math, pure (no I/O): fit rules over contact/account fields → 0–100 and a grade; engagement
// rules over events, caps per calendar period, decay with a half-life. The worker, the rescore, the
// snapshot and the explanations all use these functions, so one set of numbers is the truth.
export * from './rules-ops.ts';
export * from './rules-fit.ts';
export * from './rules-match.ts';
export * from './rules-ledger.ts';
