// One KPI on the objective page: actual vs target, baseline, progress, the weekly trend chart (with the target
// line), and for a manual KPI the check-in form and the latest check-ins.
import { useMemo, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { EChartsOption } from 'echarts';
import { addCheckin, deleteKpi, formatKpiValue, type Kpi } from '../../api/objectives.ts';
import { Badge } from '../../components/Badge.tsx';
import { Chart } from '../../components/Chart.tsx';
import { formatDateTime } from '../../components/format.ts';
import { useFormMutation } from '../../components/FormDialog.tsx';
import { ErrorAlert } from '../../components/States.tsx';
import { KpiForm } from './KpiForm.tsx';
import { ProgressBar } from './parts.tsx';

function TrendChart({ kpi }: { kpi: Kpi }) {
  const option = useMemo<EChartsOption>(
    () => ({
      grid: { left: 48, right: 16, top: 24, bottom: 28 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: kpi.trend.map((p) => p.weekEnd.slice(5)) },
      // Keep the target line in view.
      yAxis: { type: 'value', scale: kpi.kind === 'level', max: kpi.target == null ? undefined : (v: { max: number }) => (kpi.target! > v.max ? Math.ceil(kpi.target! * 1.05) : undefined) as number },
      series: [
        {
          name: kpi.name,
          type: 'line',
          data: kpi.trend.map((p) => p.value),
          connectNulls: true,
          symbolSize: 6,
          areaStyle: kpi.kind === 'flow' ? { opacity: 0.08 } : undefined,
          markLine:
            kpi.target == null
              ? undefined
              : { symbol: 'none', silent: true, lineStyle: { type: 'dashed', color: '#1f8a4c' }, label: { formatter: `Target ${formatKpiValue(kpi.target, kpi.unit)}`, position: 'insideEndTop' }, data: [{ yAxis: kpi.target }] },
        },
      ],
    }),
    [kpi],
  );
  if (!kpi.trend.length) return <p className="muted small">No trend yet: the period has not started.</p>;
  return <Chart option={option} height={180} label={`${kpi.name} per week`} testId={`kpi-trend-${kpi.id}`} />;
}

function CheckinForm({ kpi }: { kpi: Kpi }) {
  const qc = useQueryClient();
  const [value, setValue] = useState('');
  const [note, setNote] = useState('');
  const { mutation, errors, setErrors, topError } = useFormMutation({
    mutationFn: () => addCheckin(kpi.id, { value: Number(value.replace(/[,\s]/g, '')), note: note.trim() || null }),
    onSuccess: () => {
      setValue('');
      setNote('');
      qc.invalidateQueries({ queryKey: ['objectives'] });
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!value.trim() || !Number.isFinite(Number(value.replace(/[,\s]/g, '')))) return setErrors({ value: 'Enter a number' });
    setErrors({});
    mutation.mutate();
  }
  return (
    <form className="form-row" onSubmit={submit} aria-label={`Check in on ${kpi.name}`} style={{ alignItems: 'flex-end' }}>
      <div className="field">
        <label htmlFor={`ck-v-${kpi.id}`}>Value today</label>
        <input id={`ck-v-${kpi.id}`} className={`input${errors.value ? ' invalid' : ''}`} inputMode="decimal" value={value} onChange={(e) => setValue(e.target.value)} aria-invalid={errors.value ? true : undefined} />
        {errors.value && <span className="field-error" role="alert">{errors.value}</span>}
      </div>
      <div className="field" style={{ flex: 2 }}>
        <label htmlFor={`ck-n-${kpi.id}`}>Note</label>
        <input id={`ck-n-${kpi.id}`} className="input" value={note} onChange={(e) => setNote(e.target.value)} placeholder="Where the number comes from" />
      </div>
      <div className="field">
        <button className="btn btn-primary" type="submit" disabled={mutation.isPending}>
          {mutation.isPending ? 'Saving…' : 'Check in'}
        </button>
      </div>
      {topError ? <ErrorAlert error={topError} /> : null}
    </form>
  );
}

export function KpiCard({ kpi, objectiveId, period, canManage }: { kpi: Kpi; objectiveId: number; period?: { periodStart: string | null; periodEnd: string | null }; canManage: boolean }) {
  const qc = useQueryClient();
  const [editing, setEditing] = useState(false);
  const filters = [kpi.filters.campaignId && `campaign #${kpi.filters.campaignId}`, kpi.filters.segmentId && `segment #${kpi.filters.segmentId}`, kpi.filters.product && `product ${kpi.filters.product}`].filter(Boolean);
  return (
    <div className="kpi-card" data-testid={`kpi-${kpi.id}`}>
      <div className="kpi-head">
        <h3>{kpi.name}</h3>
        <Badge tone={kpi.source === 'metric' ? 'blue' : 'gray'} plain>
          {kpi.source === 'metric' ? (kpi.metricLabel ?? kpi.metricKey) : 'Manual'}
        </Badge>
        {filters.length > 0 && <span className="muted small">only {filters.join(', ')}</span>}
        <div className="spacer" style={{ flex: 1 }} />
        {canManage && (
          <>
            <button className="btn btn-sm" type="button" onClick={() => setEditing(true)}>
              Edit
            </button>
            <button
              className="btn btn-sm"
              type="button"
              onClick={async () => {
                if (!window.confirm(`Delete KPI "${kpi.name}"${kpi.checkins ? ` and its ${kpi.checkins} check-ins` : ''}?`)) return;
                await deleteKpi(kpi.id);
                await qc.invalidateQueries({ queryKey: ['objectives'] });
              }}
            >
              Delete
            </button>
          </>
        )}
      </div>
      <div className="kpi-figures">
        <div>
          <div className="muted small">Actual</div>
          <div className="big" data-testid="kpi-actual">
            {formatKpiValue(kpi.actual, kpi.unit)}
          </div>
        </div>
        <div>
          <div className="muted small">Target</div>
          <div className="big">{formatKpiValue(kpi.target, kpi.unit)}</div>
        </div>
        <div>
          <div className="muted small">Baseline</div>
          <div className="big">{formatKpiValue(kpi.baseline, kpi.unit)}</div>
        </div>
        <div>
          <div className="muted small">Better when</div>
          <div className="big">{kpi.direction === 'up' ? 'Higher' : 'Lower'}</div>
        </div>
      </div>
      <ProgressBar value={kpi.progress} label={`Progress of KPI ${kpi.name}`} />
      {kpi.note && <p className="muted small" style={{ margin: 0 }}>{kpi.note}</p>}
      <TrendChart kpi={kpi} />
      {kpi.source === 'manual' && (
        <>
          {canManage && <CheckinForm kpi={kpi} />}
          {kpi.checkinList.length > 0 ? (
            <table className="table">
              <thead>
                <tr>
                  <th>When</th>
                  <th className="num">Value</th>
                  <th>Note</th>
                  <th>By</th>
                </tr>
              </thead>
              <tbody>
                {kpi.checkinList.slice(0, 5).map((c) => (
                  <tr key={c.id}>
                    <td className="small">{formatDateTime(c.at)}</td>
                    <td className="num">{formatKpiValue(c.value, kpi.unit)}</td>
                    <td className="small">{c.note ?? ''}</td>
                    <td className="small">{c.by?.name ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted small">No check-in yet. A manual KPI is measurable once someone checks in a value.</p>
          )}
        </>
      )}
      {editing && <KpiForm objectiveId={objectiveId} period={period} kpi={kpi} onClose={() => setEditing(false)} />}
    </div>
  );
}
