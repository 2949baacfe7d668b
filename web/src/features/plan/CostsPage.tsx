// Costs: planned vs actual spend by month (chart), the cost lines with the campaign / tool / objective they link to,
// filters (months, category), "Add cost line", CSV import (every rejected row listed; nothing written then) and export.
import { useMemo, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { listCampaigns } from '../../api/campaigns.ts';
import { formatMoney } from '../../api/deals.ts';
import { CATEGORY_LABELS, COST_CATEGORIES, costsExportUrl, createCost, deleteCost, importCosts, listCosts, listTools, spendKeys, updateCost, type CostImportResult, type CostLine } from '../../api/spend.ts';
import { Badge } from '../../components/Badge.tsx';
import { Chart } from '../../components/Chart.tsx';
import { SelectField, TextField } from '../../components/Field.tsx';
import { FormDialog, useFormMutation } from '../../components/FormDialog.tsx';
import { IconExport, IconPlus } from '../../components/icons.tsx';
import { useUrlFilters } from '../../components/ListFilters.tsx';
import { Modal } from '../../components/Modal.tsx';
import { Empty, ErrorAlert, ListStates } from '../../components/States.tsx';
import { ImportCsvButton } from '../../components/ImportCsvButton.tsx';
import { useCan } from '../identity/auth.tsx';

const money = (n: number) => formatMoney(n, 'USD');
const monthLabel = (m: string) => new Date(`${m}T00:00:00Z`).toLocaleDateString('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' });

function ImportResult({ result, onClose }: { result: CostImportResult; onClose: () => void }) {
  return (
    <Modal title={result.imported ? 'Costs imported' : 'Nothing imported'} onClose={onClose} wide footer={<button className="btn btn-primary" onClick={onClose}>Done</button>}>
      <p data-testid="cost-import-summary">
        {result.imported
          ? `${result.processed} rows: ${result.inserted} new, ${result.updated} updated.`
          : `${result.rejected.length} of ${result.processed} rows have a problem, so no row was written. Fix them and import the file again.`}
      </p>
      {result.rejected.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="cost-import-rejected">
            <thead>
              <tr>
                <th className="num">Line</th>
                <th>Column</th>
                <th>Reason</th>
              </tr>
            </thead>
            <tbody>
              {result.rejected.map((r, i) => (
                <tr key={i}>
                  <td className="num">{r.line}</td>
                  <td className="mono">{r.field ?? '—'}</td>
                  <td>{r.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Modal>
  );
}

function CostForm({ line, onClose }: { line?: CostLine; onClose: () => void }) {
  const qc = useQueryClient();
  const campaigns = useQuery({ queryKey: ['campaigns', {}], queryFn: () => listCampaigns({}) });
  const tools = useQuery({ queryKey: spendKeys.tools, queryFn: listTools });
  const [form, setForm] = useState({
    month: line?.month.slice(0, 7) ?? new Date().toISOString().slice(0, 7),
    category: line?.category ?? 'media',
    link: line?.campaign ? `c:${line.campaign.id}` : line?.tool ? `t:${line.tool.id}` : '',
    planned: line ? String(line.planned) : '',
    actual: line?.actual == null ? '' : String(line.actual),
    note: line?.note ?? '',
  });
  const num = (s: string) => Number(s.replace(/[,\s$]/g, ''));
  const { mutation, errors, setErrors, topError } = useFormMutation({
    mutationFn: () => {
      const body = {
        month: form.month,
        category: form.category,
        campaignId: form.link.startsWith('c:') ? Number(form.link.slice(2)) : null,
        toolId: form.link.startsWith('t:') ? Number(form.link.slice(2)) : null,
        planned: form.planned.trim() ? num(form.planned) : 0,
        actual: form.actual.trim() ? num(form.actual) : null,
        note: form.note.trim() || null,
      };
      return line ? updateCost(line.id, body) : createCost(body);
    },
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['costs'] });
      onClose();
    },
    focusInvalid: true,
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!/^\d{4}-\d{2}$/.test(form.month)) errs.month = 'Pick a month';
    for (const k of ['planned', 'actual'] as const) if (form[k].trim() && !(num(form[k]) >= 0)) errs[k] = 'Enter an amount of 0 or more';
    if (Object.keys(errs).length) return setErrors(errs);
    mutation.mutate();
  }
  const set = (p: Partial<typeof form>) => setForm({ ...form, ...p });
  return (
    <FormDialog title={line ? 'Edit cost line' : 'Add cost line'} formId="cost-form" formLabel="Cost line" onClose={onClose} onSubmit={submit} error={topError} pending={mutation.isPending} submitLabel="Save" pendingLabel="Saving…">
      <div className="form-row">
        <TextField label="Month" type="month" value={form.month} onChange={(e) => set({ month: e.target.value })} error={errors.month} autoFocus />
        <SelectField label="Category" value={form.category} onChange={(e) => set({ category: e.target.value as CostLine['category'] })} error={errors.category}>
          {COST_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {CATEGORY_LABELS[c]}
            </option>
          ))}
        </SelectField>
      </div>
      <SelectField label="Linked to" value={form.link} onChange={(e) => set({ link: e.target.value })} error={errors.campaignId ?? errors.toolId} hint="Its objective comes through the campaign or tool. Spend linked to nothing is a random act.">
        <option value="">Nothing (unlinked spend)</option>
        <optgroup label="Campaigns">
          {campaigns.data?.items.map((c) => (
            <option key={c.id} value={`c:${c.id}`}>
              {c.name}
            </option>
          ))}
        </optgroup>
        <optgroup label="Tools">
          {tools.data?.items.map((t) => (
            <option key={t.id} value={`t:${t.id}`}>
              {t.name}
            </option>
          ))}
        </optgroup>
      </SelectField>
      <div className="form-row">
        <TextField label="Planned" inputMode="decimal" value={form.planned} onChange={(e) => set({ planned: e.target.value })} error={errors.planned} placeholder="0" />
        <TextField label="Actual" inputMode="decimal" value={form.actual} onChange={(e) => set({ actual: e.target.value })} error={errors.actual} placeholder="Not reported yet" />
      </div>
      <TextField label="Note" value={form.note} onChange={(e) => set({ note: e.target.value })} error={errors.note} placeholder="Invoice, vendor, what it paid for" />
    </FormDialog>
  );
}

export function CostsPage() {
  const qc = useQueryClient();
  const canManage = useCan('spend:manage');
  const { filters, update } = useUrlFilters();
  const year = new Date().getUTCFullYear();
  const params = { from: filters.from ?? `${year}-01`, to: filters.to ?? `${year}-12`, category: filters.category };
  const list = useQuery({ queryKey: spendKeys.costs(params), queryFn: () => listCosts(params), placeholderData: keepPreviousData });
  const [editing, setEditing] = useState<CostLine | true | null>(null);
  const [result, setResult] = useState<CostImportResult | null>(null);
  const imp = useMutation({
    mutationFn: (f: File) => importCosts(f),
    onSuccess: (r) => {
      setResult(r);
      qc.invalidateQueries({ queryKey: ['costs'] });
    },
  });
  const del = useMutation({ mutationFn: (id: number) => deleteCost(id), onSuccess: () => qc.invalidateQueries({ queryKey: ['costs'] }) });
  const option = useMemo(() => {
    const months = list.data?.byMonth ?? [];
    return {
      tooltip: { trigger: 'axis' as const },
      legend: { data: ['Planned', 'Actual'], bottom: 0 },
      grid: { left: 70, right: 20, top: 20, bottom: 50 },
      xAxis: { type: 'category' as const, data: months.map((m) => monthLabel(m.month)) },
      yAxis: { type: 'value' as const },
      series: [
        { name: 'Planned', type: 'bar' as const, data: months.map((m) => m.planned) },
        { name: 'Actual', type: 'bar' as const, data: months.map((m) => m.actual) },
      ],
    };
  }, [list.data]);
  const d = list.data;
  const unlinked = d ? d.items.filter((x) => !x.objective).reduce((a, x) => a + (x.actual ?? x.planned), 0) : 0;
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Costs</h1>
          <p className="subtitle">Planned and actual spend by month and category, each line tied to a campaign or a tool and through it to an objective.</p>
        </div>
        <div className="actions">
          <a className="btn" href={costsExportUrl(params)} download data-testid="export-costs-csv">
            <IconExport /> Export CSV
          </a>
          {canManage && (
            <>
              <ImportCsvButton label="Import CSV" pending={imp.isPending} onFile={(f) => imp.mutate(f)} testId="cost-import-file" />
              <button className="btn btn-primary" onClick={() => setEditing(true)}>
                <IconPlus /> Add cost line
              </button>
            </>
          )}
        </div>
      </div>
      <ErrorAlert error={imp.error ?? del.error} />
      {d && (
        <div className="stats" data-testid="cost-stats">
          <div className="stat blue">
            <div className="label">Planned</div>
            <div className="value">{money(d.totals.planned)}</div>
          </div>
          <div className="stat">
            <div className="label">Actual</div>
            <div className="value">{money(d.totals.actual)}</div>
          </div>
          <div className="stat">
            <div className="label">Linked to no objective</div>
            <div className="value">{money(unlinked)}</div>
            <div className="stat-sub"><Link to="/plan/random-acts">Random acts →</Link></div>
          </div>
        </div>
      )}
      <div className="card" style={{ marginTop: 'var(--s5)' }}>
        <div className="toolbar">
          <label className="muted small">From</label>
          <input className="input select-inline" type="month" aria-label="From month" value={params.from} onChange={(e) => update({ from: e.target.value || undefined })} />
          <label className="muted small">to</label>
          <input className="input select-inline" type="month" aria-label="To month" value={params.to} onChange={(e) => update({ to: e.target.value || undefined })} />
          <select className="input select-inline" aria-label="Category" value={filters.category ?? ''} onChange={(e) => update({ category: e.target.value || undefined })}>
            <option value="">All categories</option>
            {COST_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {CATEGORY_LABELS[c]}
              </option>
            ))}
          </select>
        </div>
        {d && d.items.length > 0 && <div className="card-body"><Chart option={option} label="Planned and actual spend by month" testId="costs-chart" /></div>}
        <ListStates
          query={list}
          loading="Loading costs…"
          errorTitle="Could not load costs"
          empty={
            <Empty title="No cost lines in these months" actions={canManage ? <button className="btn btn-primary" onClick={() => setEditing(true)}>Add cost line</button> : undefined}>
              Record what each campaign and tool costs per month (planned, then actual), or import a CSV with columns month, category, planned, actual, campaign (utm code or name), tool, note.
            </Empty>
          }
        >
          {(data) => (
            <div className="table-wrap">
              <table className="table" data-testid="costs-table">
                <thead>
                  <tr>
                    <th>Month</th>
                    <th>Category</th>
                    <th>Linked to</th>
                    <th>Objective</th>
                    <th className="num">Planned</th>
                    <th className="num">Actual</th>
                    <th>Note</th>
                    {canManage && <th />}
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((x) => (
                    <tr key={x.id}>
                      <td className="nowrap">{monthLabel(x.month)}</td>
                      <td>{CATEGORY_LABELS[x.category]}</td>
                      <td>
                        {x.campaign ? <Link to={`/campaigns/${x.campaign.id}`}>{x.campaign.name}</Link> : x.tool ? <span>{x.tool.name} <span className="muted small">(tool)</span></span> : <span className="muted">—</span>}
                      </td>
                      <td>{x.objective ? x.objective.title : <Badge tone="amber">No objective</Badge>}</td>
                      <td className="num">{money(x.planned)}</td>
                      <td className="num">{x.actual == null ? <span className="muted">—</span> : money(x.actual)}</td>
                      <td className="muted small cell-truncate">{x.note}</td>
                      {canManage && (
                        <td className="num nowrap">
                          <button className="btn btn-sm" onClick={() => setEditing(x)}>Edit</button>{' '}
                          <button className="btn btn-sm" onClick={() => del.mutate(x.id)} aria-label={`Delete cost line ${x.id}`}>Delete</button>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </ListStates>
      </div>
      {editing && <CostForm line={editing === true ? undefined : editing} onClose={() => setEditing(null)} />}
      {result && <ImportResult result={result} onClose={() => setResult(null)} />}
    </>
  );
}
