// Analytics metrics for the objectives' metric catalog (KPIs can be bound to them): CPOD, the cost per order
// dollar of seed 002, over the period (the same figure as the CPOD report's total). Registered at import
// (./routes.ts imports this file).
import { registerMetric } from '../plan/metrics/registry.ts';
import { cpod } from './cpod.ts';

registerMetric({
  key: 'cpod',
  label: 'CPOD (cost per order dollar)',
  unit: 'ratio',
  better: 'down',
  kind: 'level',
  filters: ['segmentId', 'campaignId', 'product'],
  description: '(Marketing + sales cost) ÷ won revenue in the period; no value while there is no revenue',
  async compute({ ctx, from, to, filters }) {
    const r = await cpod({ ctx, input: { from, to, segmentId: filters.segmentId, campaignId: filters.campaignId, product: filters.product } });
    return r.totals.cpod === null ? null : Math.round(r.totals.cpod * 10_000) / 10_000;
  },
});
