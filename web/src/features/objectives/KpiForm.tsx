// Add / edit a KPI: a metric from the catalog (with the filters it supports) or a manual metric with a unit;
// baseline (a catalog metric can take last period's value), target and direction.
import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { listCampaigns } from '../../api/campaigns.ts';
import { createKpi, listMetrics, listSegmentNames, metricValue, objectiveKeys, previousPeriod, updateKpi, type Kpi } from '../../api/objectives.ts';
import { SelectField, TextField } from '../../components/Field.tsx';
import { FormDialog, useFormMutation } from '../../components/FormDialog.tsx';

const numOrNull = (s: string) => (s.trim() === '' ? null : Number(s.replace(/[,\s$%]/g, '')));

export function KpiForm({ objectiveId, period, kpi, onClose }: { objectiveId: number; period?: { periodStart: string | null; periodEnd: string | null }; kpi?: Kpi; onClose: () => void }) {
  const qc = useQueryClient();
  const metrics = useQuery({ queryKey: objectiveKeys.metrics, queryFn: listMetrics, staleTime: 300_000 });
  const campaigns = useQuery({ queryKey: ['campaigns', {}], queryFn: () => listCampaigns({}) });
  const segments = useQuery({ queryKey: ['segments', 'names'], queryFn: listSegmentNames, retry: false });
  const [baselineNote, setBaselineNote] = useState<string | null>(null);
  const [form, setForm] = useState({
    source: kpi?.source ?? 'metric',
    metricKey: kpi?.metricKey ?? 'leads.new',
    name: kpi?.name ?? '',
    unit: kpi?.source === 'manual' ? (kpi.unit ?? '') : '',
    baseline: kpi?.baseline == null ? '' : String(kpi.baseline),
    target: kpi?.target == null ? '' : String(kpi.target),
    direction: kpi?.direction ?? 'up',
    campaignId: kpi?.filters.campaignId ? String(kpi.filters.campaignId) : '',
    segmentId: kpi?.filters.segmentId ? String(kpi.filters.segmentId) : '',
    product: kpi?.filters.product ?? '',
  });
  const set = (p: Partial<typeof form>) => setForm({ ...form, ...p });
  const metric = metrics.data?.items.find((m) => m.key === form.metricKey);
  const supports = (f: 'campaignId' | 'segmentId' | 'product') => form.source === 'metric' && Boolean(metric?.filters.includes(f));
  const prev = period?.periodStart && period.periodEnd ? previousPeriod(period.periodStart, period.periodEnd) : null;
  async function fillBaselineFromLastPeriod() {
    if (!prev) return;
    try {
      const r = await metricValue(form.metricKey, {
        ...prev,
        ...(supports('campaignId') && form.campaignId ? { campaignId: Number(form.campaignId) } : {}),
        ...(supports('segmentId') && form.segmentId ? { segmentId: Number(form.segmentId) } : {}),
        ...(supports('product') && form.product.trim() ? { product: form.product.trim() } : {}),
      });
      set({ baseline: r.value == null ? '' : String(r.value) });
      setBaselineNote(r.value == null ? `No data from ${prev.from} to ${prev.to}` : `Value from ${prev.from} to ${prev.to}`);
    } catch (e) {
      setBaselineNote((e as Error).message);
    }
  }
  const { mutation, errors, setErrors, topError } = useFormMutation({
    mutationFn: async () => {
      const filters = {
        ...(supports('campaignId') && form.campaignId ? { campaignId: Number(form.campaignId) } : {}),
        ...(supports('segmentId') && form.segmentId ? { segmentId: Number(form.segmentId) } : {}),
        ...(supports('product') && form.product.trim() ? { product: form.product.trim() } : {}),
      };
      const common = {
        name: form.name.trim() || metric?.label || '',
        baseline: numOrNull(form.baseline),
        target: numOrNull(form.target),
        direction: form.direction as 'up' | 'down',
        unit: form.source === 'manual' ? form.unit.trim() || null : null,
      };
      if (kpi) return updateKpi(kpi.id, { ...common, ...(kpi.source === 'metric' ? { metricKey: form.metricKey, filters } : {}) });
      return createKpi(objectiveId, { ...common, source: form.source as 'metric' | 'manual', ...(form.source === 'metric' ? { metricKey: form.metricKey, filters } : {}) });
    },
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['objectives'] });
      onClose();
    },
    focusInvalid: true,
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (form.source === 'manual' && !form.name.trim()) errs.name = 'Name what you will check in';
    for (const f of ['baseline', 'target'] as const) if (form[f].trim() && !Number.isFinite(numOrNull(form[f]))) errs[f] = 'Enter a number';
    if (Object.keys(errs).length) return setErrors(errs);
    setErrors({});
    mutation.mutate();
  }
  return (
    <FormDialog title={kpi ? 'Edit KPI' : 'Add KPI'} formId="kpi-form" formLabel={kpi ? 'Edit KPI' : 'Add KPI'} onClose={onClose} onSubmit={submit} error={topError} pending={mutation.isPending} submitLabel={kpi ? 'Save KPI' : 'Add KPI'} pendingLabel="Saving…" wide>
      {!kpi && (
        <SelectField label="Measured by" value={form.source} onChange={(e) => set({ source: e.target.value as 'metric' | 'manual' })} error={errors.source}>
          <option value="metric">A metric computed from revloop’s data</option>
          <option value="manual">A manual metric (check-ins)</option>
        </SelectField>
      )}
      {form.source === 'metric' ? (
        <SelectField
          label="Metric"
          value={form.metricKey}
          onChange={(e) => {
            const m = metrics.data?.items.find((x) => x.key === e.target.value);
            set({ metricKey: e.target.value, direction: m?.better ?? form.direction });
          }}
          error={errors.metricKey}
          hint={metric ? `${metric.description} (${metric.unit}${metric.better === 'down' ? ', lower is better' : ''})` : undefined}
        >
          {(metrics.data?.items ?? []).map((m) => (
            <option key={m.key} value={m.key}>
              {m.label}
            </option>
          ))}
        </SelectField>
      ) : (
        <TextField label="Unit" value={form.unit} onChange={(e) => set({ unit: e.target.value })} error={errors.unit} placeholder="e.g. NPS points, interviews, %" />
      )}
      <TextField label="Name" value={form.name} onChange={(e) => set({ name: e.target.value })} error={errors.name} placeholder={metric && form.source === 'metric' ? metric.label : 'e.g. Customer interviews held'} />
      {supports('campaignId') && (
        <SelectField label="Only contacts touched by campaign" value={form.campaignId} onChange={(e) => set({ campaignId: e.target.value })} error={errors['filters.campaignId']}>
          <option value="">Any campaign</option>
          {(campaigns.data?.items ?? []).map((c) => (
            <option key={c.id} value={String(c.id)}>
              {c.name}
            </option>
          ))}
        </SelectField>
      )}
      {supports('segmentId') &&
        (segments.data ? (
          <SelectField label="Only contacts in segment" value={form.segmentId} onChange={(e) => set({ segmentId: e.target.value })} error={errors['filters.segmentId']}>
            <option value="">Any segment</option>
            {segments.data.items.map((sg) => (
              <option key={sg.id} value={String(sg.id)}>
                {sg.name}
              </option>
            ))}
          </SelectField>
        ) : (
          <TextField label="Only contacts in segment (id)" inputMode="numeric" value={form.segmentId} onChange={(e) => set({ segmentId: e.target.value.replace(/\D/g, '') })} error={errors['filters.segmentId']} placeholder="Any segment" />
        ))}
      {supports('product') && <TextField label="Only content for product" value={form.product} onChange={(e) => set({ product: e.target.value })} error={errors['filters.product']} placeholder="Any product" />}
      <div className="form-row">
        <TextField label="Baseline" inputMode="decimal" value={form.baseline} onChange={(e) => set({ baseline: e.target.value })} error={errors.baseline} placeholder="Where you start" hint={baselineNote ?? undefined} />
        <TextField label="Target" inputMode="decimal" value={form.target} onChange={(e) => set({ target: e.target.value })} error={errors.target} placeholder="Where you aim" />
        <SelectField label="Better when" value={form.direction} onChange={(e) => set({ direction: e.target.value as 'up' | 'down' })} error={errors.direction}>
          <option value="up">Higher</option>
          <option value="down">Lower</option>
        </SelectField>
      </div>
      {form.source === 'metric' && prev && (
        <button className="btn btn-sm" type="button" onClick={() => void fillBaselineFromLastPeriod()}>
          Use last period’s value as the baseline
        </button>
      )}
    </FormDialog>
  );
}
