// The metric catalog: every KPI that is "bound to data" names one of these keys. A metric computes one number
// from live data for a period [from, to] (calendar dates, both inclusive, UTC) and optional filters. Domains
// register their own metrics (email health, CPOD…) with registerMetric at import time; the built-in ones are in
// ./catalog.ts. Only metrics whose data exists are registered: no placeholders.
import type { Ctx } from '../../../context.ts';
import type { KpiFilters, MetricDef } from '../../../contracts/objectives.ts';
import { ValidationError } from '../../../errors.ts';

export type MetricFilterKey = keyof KpiFilters;
export interface MetricComputeArgs {
  ctx: Pick<Ctx, 'db'>;
  /** YYYY-MM-DD, inclusive. */
  from: string;
  /** YYYY-MM-DD, inclusive. */
  to: string;
  filters: KpiFilters;
}
export interface Metric {
  key: string;
  label: string;
  /** count, USD, %, days … */
  unit: string;
  better: 'up' | 'down';
  /** flow (default for counts and sums): accumulates over the period; level: a rate or state. Default 'level'. */
  kind?: 'flow' | 'level';
  /** Which filters the metric honours; a KPI with another filter is rejected. Default: none. */
  filters?: MetricFilterKey[];
  description?: string;
  compute: (args: MetricComputeArgs) => Promise<number | null>;
}

const metrics = new Map<string, Metric>();

export function registerMetric(metric: Metric): void {
  if (!/^[a-z][a-z0-9_.]*$/.test(metric.key)) throw new Error(`metric key "${metric.key}" must be lower-case letters, digits, _ and .`);
  metrics.set(metric.key, metric);
}

export function getMetric(key: string): Metric | undefined {
  return metrics.get(key);
}

export function metricDef(m: Metric): MetricDef {
  return { key: m.key, label: m.label, unit: m.unit, better: m.better, kind: m.kind ?? 'level', filters: m.filters ?? [], description: m.description ?? '' };
}

export function listMetrics(): MetricDef[] {
  return [...metrics.values()].map(metricDef).sort((a, b) => a.key.localeCompare(b.key));
}

/** Checks a KPI's metric key and filters against the catalog; throws a ValidationError naming the field. */
export function checkMetricBinding(metricKey: string | null | undefined, filters: KpiFilters): Metric {
  if (!metricKey) throw new ValidationError('metricKey: is required for a catalog KPI (source "metric")', [{ field: 'metricKey', message: 'is required for source "metric"' }]);
  const m = metrics.get(metricKey);
  if (!m) throw new ValidationError(`metricKey: "${metricKey}" is not in the metric catalog (GET /metrics lists them)`, [{ field: 'metricKey', message: `unknown metric "${metricKey}"` }]);
  for (const f of Object.keys(filters) as MetricFilterKey[]) {
    if (filters[f] !== undefined && !(m.filters ?? []).includes(f)) {
      const field = `filters.${f}`;
      throw new ValidationError(`${field}: metric "${m.key}" cannot be filtered by ${f} (it supports: ${(m.filters ?? []).join(', ') || 'no filters'})`, [{ field, message: `not supported by ${m.key}` }]);
    }
  }
  return m;
}
