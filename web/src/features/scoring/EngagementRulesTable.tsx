// The engagement model's rule table: per rule the behaviour (event type, name, URL pattern, property
// conditions), points and an optional cap per period.
import { Fragment } from 'react';
import { CAP_PERIODS, EVENT_TYPES } from '../../api/scoring.ts';
import { blankEngagementRow, NO_VALUE_OPS, rowKey, type ConditionRow, type EngagementRow } from './ruleForm.ts';
import { Cell, OpSelect, valuePlaceholder } from './FitRulesTable.tsx';

const PERIOD_LABELS: Record<(typeof CAP_PERIODS)[number], string> = { day: 'per day', week: 'per week', month: 'per month', ever: 'ever' };

export function EngagementRulesTable({
  rows,
  setRows,
  errors,
  readOnly,
}: {
  rows: EngagementRow[];
  setRows: (rows: EngagementRow[]) => void;
  errors: Record<string, string>;
  readOnly: boolean;
}) {
  const update = (i: number, patch: Partial<EngagementRow>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const setCond = (i: number, conditions: ConditionRow[]) => update(i, { conditions });
  const err = (i: number, f: string) => errors[`rules.${i}.${f}`];
  return (
    <>
      <div className="table-wrap">
        <table className="table rule-table" data-testid="engagement-rules">
          <thead>
            <tr>
              <th>Rule</th>
              <th>Event type</th>
              <th>Event name</th>
              <th>Page URL</th>
              <th className="num">Points</th>
              <th>Cap</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <Fragment key={r.key}>
              <tr className="rule-main">
                <Cell error={err(i, 'label') ?? err(i, 'id') ?? err(i, 'match')} className="w-label">
                  <input className="input" aria-label={`Rule ${i + 1} label`} value={r.label} disabled={readOnly} placeholder="e.g. Viewed pricing" onChange={(e) => update(i, { label: e.target.value })} />
                </Cell>
                <Cell error={err(i, 'match.type')} className="w-sm">
                  <select className="input" aria-label={`Rule ${i + 1} event type`} value={r.type} disabled={readOnly} onChange={(e) => update(i, { type: e.target.value })}>
                    <option value="">any</option>
                    {EVENT_TYPES.map((t) => (
                      <option key={t} value={t}>
                        {t}
                      </option>
                    ))}
                  </select>
                </Cell>
                <Cell error={err(i, 'match.event')} className="w-field">
                  <input className="input" aria-label={`Rule ${i + 1} event name`} value={r.event} disabled={readOnly} placeholder="any event" onChange={(e) => update(i, { event: e.target.value })} />
                </Cell>
                <Cell error={err(i, 'match.urlPattern')} className="w-field">
                  <input className="input" aria-label={`Rule ${i + 1} URL pattern`} value={r.urlPattern} disabled={readOnly} placeholder="any page" onChange={(e) => update(i, { urlPattern: e.target.value })} />
                </Cell>
                <Cell error={err(i, 'points')} className="w-points">
                  <input className="input" type="number" aria-label={`Rule ${i + 1} points`} value={r.points} disabled={readOnly} onChange={(e) => update(i, { points: e.target.value })} />
                </Cell>
                <Cell error={err(i, 'cap') ?? err(i, 'cap.period') ?? err(i, 'cap.maxTimes') ?? err(i, 'cap.maxPoints')} className="w-value">
                  <select className="input" aria-label={`Rule ${i + 1} cap period`} value={r.capPeriod} disabled={readOnly} onChange={(e) => update(i, { capPeriod: e.target.value as EngagementRow['capPeriod'] })}>
                    <option value="">no cap</option>
                    {CAP_PERIODS.map((p) => (
                      <option key={p} value={p}>
                        {PERIOD_LABELS[p]}
                      </option>
                    ))}
                  </select>
                  {r.capPeriod && (
                    <div className="row" style={{ gap: 6, marginTop: 6 }}>
                      <input className="input" type="number" min={1} aria-label={`Rule ${i + 1} cap times`} placeholder="max times" value={r.capMaxTimes} disabled={readOnly} onChange={(e) => update(i, { capMaxTimes: e.target.value })} />
                      <input className="input" type="number" min={1} aria-label={`Rule ${i + 1} cap points`} placeholder="max points" value={r.capMaxPoints} disabled={readOnly} onChange={(e) => update(i, { capMaxPoints: e.target.value })} />
                    </div>
                  )}
                </Cell>
                <td>
                  {!readOnly && (
                    <button type="button" className="btn btn-sm btn-ghost link-danger" aria-label={`Remove rule ${i + 1}`} onClick={() => setRows(rows.filter((_, j) => j !== i))}>
                      ✕
                    </button>
                  )}
                </td>
              </tr>
              {(r.conditions.length > 0 || !readOnly) && (
                <tr className="rule-sub">
                  <td colSpan={7}>
                    <div className="cond-block">
                      {r.conditions.length > 0 && <span className="muted small">Only when</span>}
                      {r.conditions.map((c, k) => {
                        const ce = (f: string) => errors[`rules.${i}.match.conditions.${k}.${f}`];
                        const setC = (patch: Partial<ConditionRow>) => setCond(i, r.conditions.map((x, j) => (j === k ? { ...x, ...patch } : x)));
                        return (
                          <div key={c.key}>
                            <div className="cond-row">
                              <input
                                className={`input${ce('path') ? ' invalid' : ''}`}
                                aria-label={`Rule ${i + 1} condition ${k + 1} property`}
                                placeholder="properties.percent"
                                value={c.path}
                                disabled={readOnly}
                                onChange={(e) => setC({ path: e.target.value })}
                              />
                              <OpSelect label={`Rule ${i + 1} condition ${k + 1} operator`} value={c.op} disabled={readOnly} onChange={(op) => setC({ op })} />
                              {NO_VALUE_OPS.includes(c.op) ? (
                                <span />
                              ) : (
                                <input
                                  className={`input${ce('value') ? ' invalid' : ''}`}
                                  aria-label={`Rule ${i + 1} condition ${k + 1} value`}
                                  placeholder={valuePlaceholder(c.op)}
                                  value={c.value}
                                  disabled={readOnly}
                                  onChange={(e) => setC({ value: e.target.value })}
                                />
                              )}
                              {!readOnly && (
                                <button type="button" className="btn btn-sm btn-ghost link-danger" aria-label={`Remove condition ${k + 1} of rule ${i + 1}`} onClick={() => setCond(i, r.conditions.filter((_, j) => j !== k))}>
                                  ✕
                                </button>
                              )}
                            </div>
                            {(ce('path') || ce('value') || ce('op')) && <div className="cell-msg">{ce('path') ?? ce('value') ?? ce('op')}</div>}
                          </div>
                        );
                      })}
                      {!readOnly && (
                        <button type="button" className="link-button small" style={{ marginTop: 4 }} onClick={() => setCond(i, [...r.conditions, { key: rowKey(), path: 'properties.', op: 'gte', value: '' }])}>
                          + property condition
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              )}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
      {!readOnly && (
        <button type="button" className="btn btn-sm" style={{ marginTop: 8 }} onClick={() => setRows([...rows, blankEngagementRow()])}>
          + Add rule
        </button>
      )}
      <p className="muted small">
        An event earns a rule’s points when every part given matches (event names ignore case; a URL pattern is a path prefix like /pricing or a glob like
        /blog/*). Caps count per calendar period in UTC; points beyond a cap are not given, and the contact page shows where a cap stopped them.
      </p>
    </>
  );
}
