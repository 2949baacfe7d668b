// Analytics → Attribution: won revenue or pipeline credited to campaigns, content items or channels by every model
// side by side (first, last, linear, U, W, time decay, Markov), the Markov removal effects, content influence,
// and the offline touch import.
import { useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { analyticsKeys, ATTRIBUTION_MODELS, getAttribution, getContentInfluence, MODEL_LABELS, type OfflineImportResult } from '../../api/analytics.ts';
import { upload, errorMessage } from '../../api/client.ts';
import { attributionOption } from '../../../../src/contracts/analytics-charts.ts';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { formatNumber } from '../../components/format.ts';
import { useCan } from '../identity/auth.tsx';
import { cents, ChartCard, FilterBar, useUrlParams } from './parts.tsx';
import './analytics.css';

function OfflineImport() {
  const qc = useQueryClient();
  const [result, setResult] = useState<OfflineImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const onFile = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    const form = new FormData();
    form.append('file', file);
    try {
      const r = await upload<OfflineImportResult>('/analytics/offline-touches/import', form, () => {});
      setResult(r);
      void qc.invalidateQueries({ queryKey: ['analytics'] });
    } catch (e) {
      const details = (e as { details?: { field: string; line: number; message: string }[] }).details;
      if (Array.isArray(details) && details.length && details[0]!.line) setResult({ imported: 0, rejected: details.map((d) => ({ line: d.line, column: d.field, reason: d.message })) });
      else setError(errorMessage(e));
    }
  };
  return (
    <div className="card">
      <div className="card-header"><h3>Offline touches</h3></div>
      <div className="card-body">
        <p className="muted small">Trade-show visits, calls, meetings: a CSV with <code>external_id, email</code> (or <code>contact_id</code>)<code>, campaign_id, kind, occurred_at, note</code>. All rows or none; every rejected row is listed.</p>
        <input type="file" accept=".csv,text/csv" aria-label="Offline touches CSV" onChange={(e) => void onFile(e.target.files?.[0])} />
        {error && <p className="error">{error}</p>}
        {result && (result.rejected.length ? (
          <ul className="small">{result.rejected.map((r) => <li key={`${r.line}-${r.column}`}>Line {r.line}: {r.reason}</li>)}</ul>
        ) : <p className="small">Imported {result.imported} touches.</p>)}
      </div>
    </div>
  );
}

export function AttributionPage() {
  const { params, set } = useUrlParams({ basis: 'won', groupBy: 'campaign' });
  const canManage = useCan('analytics:manage');
  const q = useQuery({ queryKey: analyticsKeys.attribution(params), queryFn: () => getAttribution(params) });
  const influence = useQuery({ queryKey: analyticsKeys.influence(params), queryFn: () => getContentInfluence(params), enabled: params.groupBy === 'content' });
  const r = q.data;
  const option = useMemo(() => (r ? attributionOption(r, [...ATTRIBUTION_MODELS]) : null), [r]);
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Attribution</h1>
          <p className="subtitle">Which campaigns, content and channels the {params.basis === 'won' ? 'won revenue' : 'pipeline created'} came through, by every model. Each model's credits add up to the total to the cent.</p>
        </div>
        <div className="segmented" role="tablist" aria-label="Basis">
          {(['won', 'pipeline'] as const).map((b) => (
            <button key={b} role="tab" aria-selected={params.basis === b} className={params.basis === b ? 'active' : ''} onClick={() => set({ basis: b })}>
              {b === 'won' ? 'Won revenue' : 'Pipeline'}
            </button>
          ))}
        </div>
      </div>
      <FilterBar params={params} set={set}>
        <label>
          Per
          <select value={params.groupBy} onChange={(e) => set({ groupBy: e.target.value })}>
            <option value="campaign">campaign</option>
            <option value="content">content item</option>
            <option value="channel">channel</option>
          </select>
        </label>
      </FilterBar>
      {q.isPending ? (
        <Loading label="Attributing…" />
      ) : q.isError ? (
        <ErrorState error={q.error} retry={() => q.refetch()} title="Could not attribute" />
      ) : r!.deals === 0 ? (
        <div className="card"><Empty title={params.basis === 'won' ? 'No deals won in this range' : 'No deals created in this range'}>Deals come from the CRM (Deals → import or the API). Widen the dates or clear a filter.</Empty></div>
      ) : (
        <div className="stack">
          <div className="stats">
            <div className="stat"><div className="label">{params.basis === 'won' ? 'Won revenue' : 'Pipeline created'}</div><div className="value" data-testid="attribution-total">{cents(r!.totalCents)}</div></div>
            <div className="stat"><div className="label">Deals</div><div className="value">{formatNumber(r!.deals)}</div></div>
            <div className="stat"><div className="label">Deals with a marketing touch</div><div className="value">{formatNumber(r!.dealsWithTouches)}</div></div>
            <div className="stat"><div className="label">Time-decay half-life</div><div className="value">{r!.halfLifeDays} d</div></div>
          </div>
          <ChartCard title="Credit by model" file={`attribution-${params.groupBy}`} option={option!} height={340} testId="chart-attribution"
            csv={() => [['key', 'label', ...ATTRIBUTION_MODELS], ...r!.rows.map((x) => [x.key, x.label, ...ATTRIBUTION_MODELS.map((m) => (x.credits[m]! / 100).toFixed(2))])]} />
          <div className="card table-wrap">
            <div className="card-header"><h3>Model comparison</h3><span className="muted small">source: {r!.source}</span></div>
            <table className="table">
              <thead><tr><th>{params.groupBy === 'content' ? 'Content item' : params.groupBy === 'channel' ? 'Channel' : 'Campaign'}</th>{ATTRIBUTION_MODELS.map((m) => <th key={m} className="num">{MODEL_LABELS[m]}</th>)}<th className="num">Deals</th></tr></thead>
              <tbody>
                {r!.rows.map((x) => (
                  <tr key={x.key}>
                    <td>{x.label}</td>
                    {ATTRIBUTION_MODELS.map((m) => <td key={m} className="num">{cents(x.credits[m]!)}</td>)}
                    <td className="num">{formatNumber(x.deals)}</td>
                  </tr>
                ))}
                <tr className="total"><td><strong>Total</strong></td>{ATTRIBUTION_MODELS.map((m) => <td key={m} className="num"><strong>{cents(r!.rows.reduce((s, x) => s + x.credits[m]!, 0))}</strong></td>)}<td /></tr>
              </tbody>
            </table>
          </div>
          {r!.removalEffects.length > 0 && (
            <div className="card">
              <div className="card-header"><h3>Markov removal effect</h3><span className="muted small">how much conversion drops without it</span></div>
              <table className="table"><tbody>{r!.removalEffects.slice(0, 12).map((e) => <tr key={e.key}><td>{e.label}</td><td className="num">{(e.effect * 100).toFixed(1)} %</td></tr>)}</tbody></table>
            </div>
          )}
          {params.groupBy === 'content' && influence.data && (
            <div className="card">
              <div className="card-header"><h3>Content influence</h3><span className="muted small">deals whose contacts read the item first (touched, not credited)</span></div>
              {influence.data.rows.length === 0 ? <Empty title="No deal touched by content yet">Reads of content items by contacts on deals appear here.</Empty> : (
                <table className="table">
                  <thead><tr><th>Item</th><th>Stage</th><th className="num">Pipeline</th><th className="num">Revenue</th><th className="num">Deals</th></tr></thead>
                  <tbody>{influence.data.rows.map((x) => <tr key={x.contentItemId}><td>{x.title}</td><td>{x.stage}</td><td className="num">{cents(x.pipelineCents)}</td><td className="num">{cents(x.revenueCents)}</td><td className="num">{x.deals}</td></tr>)}</tbody>
                </table>
              )}
            </div>
          )}
        </div>
      )}
      {canManage && <div style={{ marginTop: 16 }}><OfflineImport /></div>}
    </>
  );
}
