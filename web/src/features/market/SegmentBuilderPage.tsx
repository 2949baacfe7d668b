// New / edit segment: name, market, the need it shares, the rule (nested groups) with a live preview of the
// contacts it matches now (count + sample), and save (which builds the members at once).
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, toFieldErrors } from '../../api/client.ts';
import { createSegment, getSegment, listMarkets, marketKeys, previewSegment, ruleFields, updateSegment, type Preview, type RuleGroup } from '../../api/market.ts';
import { LifecycleBadge } from '../../components/Badge.tsx';
import { SelectField, TextField } from '../../components/Field.tsx';
import { useFormMutation } from '../../components/FormDialog.tsx';
import { formatNumber } from '../../components/format.ts';
import { ErrorAlert, ErrorState, Loading } from '../../components/States.tsx';
import type { LifecycleStage } from '../../api/types.ts';
import { GroupEditor } from './RuleBuilder.tsx';

const START: RuleGroup = { kind: 'group', match: 'all', conditions: [] };

function usePreview(rule: RuleGroup) {
  const [state, setState] = useState<{ data: Preview | null; error: unknown; pending: boolean }>({ data: null, error: null, pending: true });
  const key = JSON.stringify(rule);
  useEffect(() => {
    const ctl = new AbortController();
    setState((s) => ({ ...s, pending: true }));
    const timer = setTimeout(() => {
      previewSegment(rule, ctl.signal).then(
        (data) => setState({ data, error: null, pending: false }),
        (error) => !ctl.signal.aborted && setState({ data: null, error, pending: false }),
      );
    }, 400);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return state;
}

export function SegmentBuilderPage() {
  const { id } = useParams();
  const editing = id ? Number(id) : null;
  const existing = useQuery({ queryKey: marketKeys.segment(editing ?? 0), queryFn: () => getSegment(editing!), enabled: editing !== null });
  const fields = useQuery({ queryKey: marketKeys.fields, queryFn: ruleFields });
  const markets = useQuery({ queryKey: marketKeys.markets, queryFn: listMarkets });
  if (fields.isPending || markets.isPending || (editing !== null && existing.isPending)) return <Loading label="Loading the builder…" />;
  if (fields.isError) return <ErrorState error={fields.error} retry={() => fields.refetch()} />;
  if (existing.isError) return <ErrorState error={existing.error} retry={() => existing.refetch()} />;
  return <Builder key={editing ?? 'new'} segment={existing.data ?? null} fields={fields.data} markets={markets.data?.items ?? []} />;
}

function Builder({ segment, fields, markets }: { segment: Awaited<ReturnType<typeof getSegment>> | null; fields: Awaited<ReturnType<typeof ruleFields>>; markets: { id: number; name: string; jobStatement: string }[] }) {
  const navigate = useNavigate();
  const qc = useQueryClient();
  const params = new URLSearchParams(location.search);
  const [name, setName] = useState(segment?.name ?? '');
  const [marketId, setMarketId] = useState(segment?.marketId ? String(segment.marketId) : (params.get('marketId') ?? ''));
  const [need, setNeed] = useState(segment?.need ?? '');
  const [rule, setRule] = useState<RuleGroup>((segment?.rule as RuleGroup) ?? START);
  const preview = usePreview(rule);
  const previewErrors = useMemo(() => (preview.error instanceof ApiError ? toFieldErrors(preview.error.details) : {}), [preview.error]);
  const { mutation, errors, topError } = useFormMutation({
    mutationFn: () => {
      const body = { name: name.trim(), marketId: marketId ? Number(marketId) : null, need: need.trim() || null, rule };
      return segment ? updateSegment(segment.id, body) : createSegment(body);
    },
    onSuccess: (s) => {
      qc.invalidateQueries({ queryKey: ['segments'] });
      qc.invalidateQueries({ queryKey: ['segment', s.id] });
      qc.invalidateQueries({ queryKey: ['markets'] });
      navigate(`/segments/${s.id}`);
    },
    focusInvalid: true,
  });
  const ruleErrors = { ...previewErrors, ...Object.fromEntries(Object.entries(errors).filter(([k]) => k.startsWith('rule'))) };
  return (
    <>
      <div className="page-header">
        <div>
          <div className="muted small">
            <Link to="/segments">Segments</Link> /
          </div>
          <h1>{segment ? `Edit "${segment.name}"` : 'New segment'}</h1>
          <p className="subtitle">A segment groups contacts who share a need. Members are kept current as their data and behaviour change.</p>
        </div>
        <div className="actions">
          <button className="btn" onClick={() => navigate(segment ? `/segments/${segment.id}` : '/segments')}>
            Cancel
          </button>
          <button className="btn btn-primary" onClick={() => mutation.mutate()} disabled={mutation.isPending} data-testid="save-segment">
            {mutation.isPending ? 'Saving and building…' : segment ? 'Save and rebuild' : 'Create segment'}
          </button>
        </div>
      </div>
      <ErrorAlert error={topError} />
      <div className="builder-layout">
        <div style={{ display: 'flex', flexDirection: 'column', gap: 'var(--s4)' }}>
          <div className="card">
            <div className="card-body grid-2">
              <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} placeholder="Finance leads closing the books by hand" />
              <SelectField label="Market (job to be done)" value={marketId} onChange={(e) => setMarketId(e.target.value)} error={errors.marketId} hint={markets.length ? undefined : <Link to="/markets">Define a market first</Link>}>
                <option value="">No market</option>
                {markets.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}
                  </option>
                ))}
              </SelectField>
              <div style={{ gridColumn: '1 / -1' }}>
                <TextField label="The need they share" value={need} onChange={(e) => setNeed(e.target.value)} error={errors.need} placeholder="Close the month in under five days without spreadsheets" />
              </div>
            </div>
          </div>
          <div className="card">
            <div className="card-header">
              <h2>Rule</h2>
            </div>
            <div className="card-body">
              <GroupEditor group={rule} fields={fields} onChange={setRule} errors={ruleErrors} />
            </div>
          </div>
        </div>
        <div className="card" data-testid="segment-preview">
          <div className="card-header">
            <h2>Preview</h2>
            {preview.pending && <span className="muted small">Counting…</span>}
          </div>
          <div className="card-body">
            {preview.error ? (
              <div className="muted small">
                <ErrorAlert error={preview.error} />
              </div>
            ) : preview.data ? (
              <>
                <div className="preview-count" data-testid="preview-count">
                  {formatNumber(preview.data.count)}
                  {preview.data.capped ? '+' : ''}
                </div>
                <div className="muted small">contacts match now ({preview.data.ms} ms)</div>
                <div className="table-wrap" style={{ marginTop: 'var(--s3)' }}>
                  <table className="table">
                    <tbody>
                      {preview.data.sample.map((c) => (
                        <tr key={c.id}>
                          <td>
                            <Link to={`/contacts/${c.id}`}>{c.name ?? c.email}</Link>
                            <div className="muted small">{c.accountName ?? c.email}</div>
                          </td>
                          <td>
                            <LifecycleBadge stage={c.lifecycleStage as LifecycleStage} />
                          </td>
                        </tr>
                      ))}
                      {!preview.data.sample.length && (
                        <tr>
                          <td className="muted small">Nobody matches yet. Loosen a condition, or switch a group to "Any of".</td>
                        </tr>
                      )}
                    </tbody>
                  </table>
                </div>
              </>
            ) : (
              <Loading label="Counting…" />
            )}
          </div>
        </div>
      </div>
    </>
  );
}
