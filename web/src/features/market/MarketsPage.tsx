// Markets: each market is the job its customers are trying to get done (no products in it), with its
// need-based segments and ICPs (grade distribution); create markets and ICPs here.
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createIcp, createMarket, listIcps, listMarkets, listSegments, marketKeys, type Icp, type Market } from '../../api/market.ts';
import { SelectField, TextField } from '../../components/Field.tsx';
import { FormDialog, useFormMutation } from '../../components/FormDialog.tsx';
import { formatNumber } from '../../components/format.ts';
import { IconPlus } from '../../components/icons.tsx';
import { Empty, ErrorState, Loading } from '../../components/States.tsx';
import { useCan } from '../identity/auth.tsx';
import './market.css';

function MarketForm({ onClose }: { onClose: () => void }) {
  const qc = useQueryClient();
  const [form, setForm] = useState({ name: '', jobStatement: '', description: '' });
  const { mutation, errors, topError } = useFormMutation({
    mutationFn: () => createMarket({ name: form.name.trim(), jobStatement: form.jobStatement.trim(), description: form.description.trim() || null }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: marketKeys.markets });
      onClose();
    },
    focusInvalid: true,
  });
  return (
    <FormDialog title="New market" formId="market-form" formLabel="New market" onClose={onClose} onSubmit={(e: FormEvent) => (e.preventDefault(), mutation.mutate())} error={topError} pending={mutation.isPending} submitLabel="Create market" pendingLabel="Creating…">
      <TextField label="Name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} error={errors.name} placeholder="Mid-market finance teams" autoFocus />
      <TextField
        label="Job to be done"
        value={form.jobStatement}
        onChange={(e) => setForm({ ...form, jobStatement: e.target.value })}
        error={errors.jobStatement}
        placeholder="Close the books accurately every month"
        hint="The job the customer is trying to get done, in their words and without your products."
      />
      <TextField label="Description" value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} error={errors.description} />
    </FormDialog>
  );
}

function IcpForm({ markets, onClose }: { markets: Market[]; onClose: () => void }) {
  const qc = useQueryClient();
  const [form, setForm] = useState({ name: '', marketId: '', description: '', industry: '', minEmployees: '', titleWord: '' });
  const { mutation, errors, topError } = useFormMutation({
    mutationFn: () => {
      // A starting set of fit rules; the full rule editor is the ICP's fit model (Settings → Scoring).
      const rules = [
        form.industry && { id: 'industry', label: `Industry is ${form.industry}`, field: 'account.industry', op: 'eq', value: form.industry, points: 40 },
        form.minEmployees && { id: 'size', label: `At least ${form.minEmployees} employees`, field: 'account.employee_count', op: 'gte', value: Number(form.minEmployees), points: 30 },
        form.titleWord && { id: 'title', label: `Title contains ${form.titleWord}`, field: 'title', op: 'contains', value: form.titleWord, points: 30 },
      ].filter(Boolean) as unknown[];
      return createIcp({ name: form.name.trim(), marketId: form.marketId ? Number(form.marketId) : null, description: form.description.trim() || null, rules });
    },
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: marketKeys.icps });
      qc.invalidateQueries({ queryKey: marketKeys.markets });
      onClose();
    },
    focusInvalid: true,
  });
  return (
    <FormDialog title="New ICP" formId="icp-form" formLabel="New ICP" onClose={onClose} onSubmit={(e: FormEvent) => (e.preventDefault(), mutation.mutate())} error={topError} pending={mutation.isPending} submitLabel="Create ICP" pendingLabel="Creating and grading…">
      <TextField label="Name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} error={errors.name} autoFocus />
      <SelectField label="Market" value={form.marketId} onChange={(e) => setForm({ ...form, marketId: e.target.value })} error={errors.marketId}>
        <option value="">No market</option>
        {markets.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
          </option>
        ))}
      </SelectField>
      <div className="grid-2">
        <TextField label="Industry" value={form.industry} onChange={(e) => setForm({ ...form, industry: e.target.value })} error={errors['rules.0.value']} placeholder="Software" />
        <TextField label="Minimum employees" type="number" value={form.minEmployees} onChange={(e) => setForm({ ...form, minEmployees: e.target.value })} placeholder="200" />
      </div>
      <TextField label="Title contains" value={form.titleWord} onChange={(e) => setForm({ ...form, titleWord: e.target.value })} placeholder="finance" hint="The ICP's rules become its own fit model: contacts get an ICP grade (A–F) that segments can use." />
    </FormDialog>
  );
}

function GradeBar({ icp }: { icp: Icp }) {
  const total = Object.values(icp.gradeCounts).reduce((a, b) => a + b, 0);
  return (
    <span className="muted small">
      {total ? ['A', 'B', 'C', 'D', 'F'].map((g) => `${g} ${formatNumber(icp.gradeCounts[g] ?? 0)}`).join(' · ') : 'not graded yet'}
    </span>
  );
}

export function MarketsPage() {
  const canManage = useCan('market:manage');
  const [creating, setCreating] = useState<'market' | 'icp' | null>(null);
  const markets = useQuery({ queryKey: marketKeys.markets, queryFn: listMarkets });
  const segments = useQuery({ queryKey: marketKeys.segments({}), queryFn: () => listSegments({}) });
  const icps = useQuery({ queryKey: marketKeys.icps, queryFn: listIcps });
  if (markets.isPending) return <Loading label="Loading markets…" />;
  if (markets.isError) return <ErrorState error={markets.error} retry={() => markets.refetch()} title="Could not load markets" />;
  const unassigned = (segments.data?.items ?? []).filter((s) => !s.marketId);
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Markets</h1>
          <p className="subtitle">A market is defined by the job customers are trying to get done; segments split it by need, ICPs grade who fits.</p>
        </div>
        {canManage && (
          <div className="actions">
            <button className="btn" onClick={() => setCreating('icp')}>
              <IconPlus /> New ICP
            </button>
            <button className="btn btn-primary" onClick={() => setCreating('market')}>
              <IconPlus /> New market
            </button>
          </div>
        )}
      </div>
      {markets.data.items.length === 0 ? (
        <div className="card">
          <Empty title="No markets yet" actions={canManage ? <button className="btn btn-primary" onClick={() => setCreating('market')}>New market</button> : undefined}>
            Start with the job your customers hire a solution for, e.g. "close the books accurately every month". Then add segments by need and an ICP.
          </Empty>
        </div>
      ) : (
        <div style={{ display: 'flex', flexDirection: 'column', gap: 'var(--s4)' }} data-testid="markets">
          {markets.data.items.map((m) => {
            const segs = (segments.data?.items ?? []).filter((s) => s.marketId === m.id);
            const mIcps = (icps.data?.items ?? []).filter((i) => i.marketId === m.id);
            return (
              <div className="card" key={m.id}>
                <div className="card-header">
                  <div>
                    <h2>{m.name}</h2>
                    <div className="market-job small">Job: {m.jobStatement}</div>
                  </div>
                  <span className="muted small">{formatNumber(m.contactCount)} contacts in its segments</span>
                </div>
                <div className="card-body grid-2">
                  <div>
                    <div className="muted small" style={{ marginBottom: 6 }}>
                      Segments by need
                    </div>
                    {segs.length ? (
                      <ul className="plain-list">
                        {segs.map((s) => (
                          <li key={s.id}>
                            <Link to={`/segments/${s.id}`}>{s.name}</Link> <span className="muted small">· {formatNumber(s.memberCount)} members{s.need ? ` · ${s.need}` : ''}</span>
                          </li>
                        ))}
                      </ul>
                    ) : (
                      <div className="muted small">No segments yet.</div>
                    )}
                    {canManage && (
                      <Link className="btn btn-sm" to={`/segments/new?marketId=${m.id}`} style={{ marginTop: 6 }}>
                        + Segment
                      </Link>
                    )}
                  </div>
                  <div>
                    <div className="muted small" style={{ marginBottom: 6 }}>
                      Ideal customer profiles
                    </div>
                    {mIcps.length ? (
                      <ul className="plain-list">
                        {mIcps.map((i) => (
                          <li key={i.id}>
                            <Link to={`/settings/scoring/models/${i.fitModelId}`}>{i.name}</Link> <GradeBar icp={i} />
                          </li>
                        ))}
                      </ul>
                    ) : (
                      <div className="muted small">No ICP yet.</div>
                    )}
                  </div>
                </div>
              </div>
            );
          })}
          {(unassigned.length > 0 || (icps.data?.items ?? []).some((i) => !i.marketId)) && (
            <div className="card">
              <div className="card-header">
                <h2>Not in a market</h2>
              </div>
              <div className="card-body">
                <ul className="plain-list">
                  {unassigned.map((s) => (
                    <li key={s.id}>
                      Segment <Link to={`/segments/${s.id}`}>{s.name}</Link> <span className="muted small">· {formatNumber(s.memberCount)} members</span>
                    </li>
                  ))}
                  {(icps.data?.items ?? [])
                    .filter((i) => !i.marketId)
                    .map((i) => (
                      <li key={`icp-${i.id}`}>
                        ICP <Link to={`/settings/scoring/models/${i.fitModelId}`}>{i.name}</Link> <GradeBar icp={i} />
                      </li>
                    ))}
                </ul>
              </div>
            </div>
          )}
        </div>
      )}
      {creating === 'market' && <MarketForm onClose={() => setCreating(null)} />}
      {creating === 'icp' && <IcpForm markets={markets.data.items} onClose={() => setCreating(null)} />}
    </>
  );
}
