// Coverage map: buying stage × content type as a heat map coloured by the chosen metric (items, views,
// readers, read depth, influenced pipeline), filterable by segment, topic and product; cells without a live
// item are gaps to fill. The table below lists every cell with its figures and top items.
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CONTENT_STAGE_LABELS, CONTENT_TYPE_LABELS } from '../../../../src/contracts/content.ts';
import { getCoverage, insightKeys, refreshInsights, type Coverage } from '../../api/content-insights.ts';
import { Badge } from '../../components/Badge.tsx';
import { Chart } from '../../components/Chart.tsx';
import { Empty, ErrorAlert, ErrorState, Loading } from '../../components/States.tsx';
import { formatNumber, formatRelative } from '../../components/format.ts';
import { useUrlFilters } from '../../components/ListFilters.tsx';
import { useCan } from '../identity/auth.tsx';
import { heatmapOption, METRIC_LABELS, METRICS, type Metric } from './coverageChart.ts';
import './insights.css';

const money = (n: number) => `$${formatNumber(Math.round(n))}`;

function FacetSelect({ label, values, value, onChange }: { label: string; values: string[]; value?: string; onChange: (v?: string) => void }) {
  return (
    <select className="input select-inline" aria-label={label} value={value ?? ''} onChange={(e) => onChange(e.target.value || undefined)}>
      <option value="">All {label.toLowerCase()}s</option>
      {values.map((v) => (
        <option key={v} value={v}>
          {v}
        </option>
      ))}
    </select>
  );
}

function CellTable({ cov }: { cov: Coverage }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="coverage-table">
        <thead>
          <tr>
            <th>Stage</th>
            <th>Type</th>
            <th className="num">Items</th>
            <th className="num">Views</th>
            <th className="num">Readers</th>
            <th className="num">Avg depth</th>
            <th className="num">Influenced</th>
            <th className="num">Pipeline</th>
            <th>Top items</th>
          </tr>
        </thead>
        <tbody>
          {cov.cells.map((c) => (
            <tr key={`${c.stage}-${c.type}`} className={c.gap ? 'coverage-gap-row' : undefined}>
              <td>{CONTENT_STAGE_LABELS[c.stage]}</td>
              <td>{CONTENT_TYPE_LABELS[c.type]}</td>
              <td className="num">
                {c.gap ? <Badge tone="red">Gap</Badge> : null} {c.live} live{c.items > c.live ? ` · ${c.items - c.live} planned` : ''}
              </td>
              <td className="num">{formatNumber(c.views)}</td>
              <td className="num">{formatNumber(c.readers)}</td>
              <td className="num">{c.avgDepthPct == null ? '—' : `${Math.round(c.avgDepthPct)} %`}</td>
              <td className="num">{formatNumber(c.influencedContacts)}</td>
              <td className="num">{money(c.influencedPipeline)}</td>
              <td>
                <div className="coverage-top">
                  {c.top.length ? c.top.map((i) => <Link key={i.id} to={`/content/${i.id}`}>{i.title}</Link>) : <span className="muted">—</span>}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function CoverageMapPage() {
  const { filters, update } = useUrlFilters();
  const [metric, setMetric] = useState<Metric>('views');
  const canWrite = useCan('content:write');
  const qc = useQueryClient();
  const params = { segment: filters.segment, topic: filters.topic, product: filters.product };
  const q = useQuery({ queryKey: insightKeys.coverage(params), queryFn: () => getCoverage(params) });
  const refresh = useMutation({ mutationFn: refreshInsights, onSuccess: () => qc.invalidateQueries({ queryKey: ['content-coverage'] }) });
  const cov = q.data;
  const option = useMemo(() => (cov ? heatmapOption(cov, metric) : null), [cov, metric]);
  const filtered = Boolean(filters.segment || filters.topic || filters.product);

  return (
    <>
      <div className="page-header">
        <div>
          <h1>Coverage map</h1>
          <p className="subtitle">
            Content by buying stage and type, with how each cell performs. Red cells have no live item: gaps to fill on the <Link to="/content/calendar">calendar</Link>.
          </p>
        </div>
        <div className="actions">
          {cov && <span className="muted small">Figures {cov.refreshedAt ? `updated ${formatRelative(cov.refreshedAt)}` : 'not computed yet'}</span>}
          {canWrite && (
            <button className="btn" onClick={() => refresh.mutate()} disabled={refresh.isPending}>
              {refresh.isPending ? 'Refreshing…' : 'Refresh figures'}
            </button>
          )}
        </div>
      </div>
      <ErrorAlert error={refresh.error} />
      {q.isPending ? (
        <Loading label="Loading the coverage map…" />
      ) : q.isError ? (
        <ErrorState error={q.error} retry={() => q.refetch()} title="Could not load the coverage map" />
      ) : cov!.totals.items === 0 && !filtered ? (
        <div className="card">
          <Empty title="No content yet">
            Add content items (title, buying stage, type, URL) in <Link to="/content">Content</Link> or import your inventory as CSV; the map then shows which stages
            and types are covered and where the gaps are.
          </Empty>
        </div>
      ) : (
        <div className="stack">
          <div className="stats">
            <div className="stat">
              <div className="label">Items (live)</div>
              <div className="value" data-testid="coverage-items">
                {formatNumber(cov!.totals.items)} <span className="stat-sub">({formatNumber(cov!.totals.live)})</span>
              </div>
            </div>
            <div className={`stat${cov!.totals.gaps ? ' red' : ' green'}`}>
              <div className="label">Gaps (of {cov!.cells.length} cells)</div>
              <div className="value" data-testid="coverage-gaps">{cov!.totals.gaps}</div>
            </div>
            <div className="stat">
              <div className="label">Views</div>
              <div className="value">{formatNumber(cov!.totals.views)}</div>
            </div>
            <div className="stat blue">
              <div className="label">Influenced pipeline</div>
              <div className="value">{money(cov!.totals.influencedPipeline)}</div>
            </div>
          </div>
          <div className="card">
            <div className="toolbar">
              <FacetSelect label="Segment" values={cov!.facets.segments} value={filters.segment} onChange={(segment) => update({ segment })} />
              <FacetSelect label="Topic" values={cov!.facets.topics} value={filters.topic} onChange={(topic) => update({ topic })} />
              <FacetSelect label="Product" values={cov!.facets.products} value={filters.product} onChange={(product) => update({ product })} />
              <div className="spacer" />
              <div className="segmented" role="tablist" aria-label="Colour by">
                {METRICS.map((m) => (
                  <button key={m} role="tab" aria-selected={metric === m} className={metric === m ? 'active' : ''} onClick={() => setMetric(m)}>
                    {METRIC_LABELS[m]}
                  </button>
                ))}
              </div>
            </div>
            {cov!.totals.items === 0 ? (
              <Empty title="No items match these filters" actions={<button className="btn" onClick={() => update({ segment: undefined, topic: undefined, product: undefined })}>Clear filters</button>} />
            ) : (
              <div className="coverage-chart">
                <Chart option={option!} height={440} label={`Coverage heat map coloured by ${METRIC_LABELS[metric]}`} testId="coverage-heatmap" />
              </div>
            )}
          </div>
          <div className="card">
            <div className="card-header">
              <h2>Cells</h2>
              <span className="muted small">Readers: known contacts per item (a contact who read two items of a cell counts twice). Pipeline: open and won deals of contacts who read an item and later became sales-ready, opportunity or customer.</span>
            </div>
            <CellTable cov={cov!} />
          </div>
        </div>
      )}
    </>
  );
}
