// Buying-stage rules: page URL pattern → stage, first match wins. Until content items carry stage tags,
// these rules decide a contact's buying stage (the most advanced stage seen in the last 90 days).
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../api/client.ts';
import { BUYING_STAGE_LABELS, createStageRule, deleteStageRule, listStageRules, scoringKeys, updateStageRule, type BuyingStage, type StageRule } from '../../api/scoring.ts';
import { ErrorAlert, ListStates } from '../../components/States.tsx';

const STAGES = Object.keys(BUYING_STAGE_LABELS) as BuyingStage[];

const SUGGESTED: { pattern: string; stage: BuyingStage }[] = [
  { pattern: '/blog/*', stage: 'awareness' },
  { pattern: '/guides/*', stage: 'interest' },
  { pattern: '/case-studies', stage: 'consideration' },
  { pattern: '/pricing', stage: 'purchase' },
  { pattern: '/docs', stage: 'post_sale' },
];

export function StageRulesCard({ canManage }: { canManage: boolean }) {
  const qc = useQueryClient();
  const list = useQuery({ queryKey: scoringKeys.stageRules, queryFn: listStageRules });
  const [pattern, setPattern] = useState('');
  const [stage, setStage] = useState<BuyingStage>('awareness');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const invalidate = () => qc.invalidateQueries({ queryKey: scoringKeys.stageRules });
  const add = useMutation({
    mutationFn: () => createStageRule({ pattern: pattern.trim(), stage }),
    onSuccess: () => {
      setPattern('');
      setFieldError(null);
      invalidate();
    },
    onError: (e) => setFieldError(e instanceof ApiError ? (e.fieldErrors.pattern ?? e.fieldErrors.stage ?? null) : null),
  });
  const change = useMutation({ mutationFn: ({ id, s }: { id: number; s: BuyingStage }) => updateStageRule(id, { stage: s }), onSuccess: invalidate });
  const remove = useMutation({ mutationFn: (id: number) => deleteStageRule(id), onSuccess: invalidate });
  // First match wins, so order matters: move a rule up or down by renumbering the list.
  const move = useMutation({
    mutationFn: async ({ items, from, to }: { items: StageRule[]; from: number; to: number }) => {
      const order = [...items];
      const [r] = order.splice(from, 1);
      order.splice(to, 0, r!);
      for (const [i, x] of order.entries()) if (x.position !== i) await updateStageRule(x.id, { position: i });
    },
    onSettled: invalidate,
  });
  const addSuggested = useMutation({
    mutationFn: async () => {
      for (const r of SUGGESTED) await createStageRule(r);
    },
    onSuccess: invalidate,
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!pattern.trim()) return setFieldError('Enter a URL path like /pricing or a glob like /blog/*');
    add.mutate();
  }

  return (
    <div className="card" style={{ marginBottom: 16 }} data-testid="stage-rules">
      <div className="card-header">
        <div>
          <h2>Buying-stage rules</h2>
          <p className="muted small" style={{ margin: '2px 0 0' }}>
            A page gets the stage of the first rule whose pattern matches its path. A contact’s buying stage is the most advanced stage among the pages it viewed in
            the last 90 days.
          </p>
        </div>
      </div>
      <ErrorAlert error={add.error && !fieldError ? add.error : (change.error ?? remove.error ?? move.error ?? addSuggested.error)} />
      <ListStates
        query={list}
        loading="Loading rules…"
        empty={
          <div className="card-body">
            <p className="muted">No rules yet: every contact’s buying stage is unknown.</p>
            {canManage && (
              <button className="btn btn-sm" onClick={() => addSuggested.mutate()} disabled={addSuggested.isPending}>
                Add suggested rules ({SUGGESTED.map((s) => s.pattern).join(', ')})
              </button>
            )}
          </div>
        }
      >
        {(data) => (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th style={{ width: 40 }}>#</th>
                  <th>Pages</th>
                  <th>Buying stage</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {data.items.map((r, i) => (
                  <tr key={r.id}>
                    <td className="muted">{i + 1}</td>
                    <td>
                      <code>{r.pattern}</code>
                    </td>
                    <td>
                      {canManage ? (
                        <select className="input select-inline" aria-label={`Stage for ${r.pattern}`} value={r.stage} onChange={(e) => change.mutate({ id: r.id, s: e.target.value as BuyingStage })}>
                          {STAGES.map((s) => (
                            <option key={s} value={s}>
                              {BUYING_STAGE_LABELS[s]}
                            </option>
                          ))}
                        </select>
                      ) : (
                        BUYING_STAGE_LABELS[r.stage]
                      )}
                    </td>
                    <td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
                      {canManage && (
                        <>
                          <button className="btn btn-sm btn-ghost" disabled={i === 0 || move.isPending} onClick={() => move.mutate({ items: data.items, from: i, to: i - 1 })} aria-label={`Move ${r.pattern} up`}>
                            ↑
                          </button>
                          <button
                            className="btn btn-sm btn-ghost"
                            disabled={i === data.items.length - 1 || move.isPending}
                            onClick={() => move.mutate({ items: data.items, from: i, to: i + 1 })}
                            aria-label={`Move ${r.pattern} down`}
                          >
                            ↓
                          </button>
                        </>
                      )}
                      {canManage && (
                        <button className="btn btn-sm btn-ghost link-danger" onClick={() => remove.mutate(r.id)} aria-label={`Remove rule ${r.pattern}`}>
                          Remove
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </ListStates>
      {canManage && (
        <form className="card-body row" onSubmit={submit} aria-label="Add buying-stage rule" style={{ gap: 8, alignItems: 'flex-start' }} noValidate>
          <div style={{ flex: 2 }}>
            <input
              className={`input${fieldError ? ' invalid' : ''}`}
              placeholder="/pricing or /blog/*"
              aria-label="URL pattern"
              aria-invalid={fieldError ? true : undefined}
              value={pattern}
              onChange={(e) => setPattern(e.target.value)}
            />
            {fieldError && <span className="field-error">{fieldError}</span>}
          </div>
          <select className="input" style={{ flex: 1 }} aria-label="Stage" value={stage} onChange={(e) => setStage(e.target.value as BuyingStage)}>
            {STAGES.map((s) => (
              <option key={s} value={s}>
                {BUYING_STAGE_LABELS[s]}
              </option>
            ))}
          </select>
          <button className="btn" type="submit" disabled={add.isPending}>
            Add rule
          </button>
        </form>
      )}
    </div>
  );
}
