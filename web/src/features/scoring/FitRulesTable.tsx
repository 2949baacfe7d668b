// The fit model's rule table: one row per rule (label, field, operator, value, points), not raw JSON.
import type { ReactNode } from 'react';
import type { PropertyDefinition } from '../../api/types.ts';
import { FIT_ACCOUNT_FIELDS, FIT_CONTACT_FIELDS, RULE_OP_LABELS, RULE_OPS, type RuleOp } from '../../api/scoring.ts';
import { blankFitRow, NO_VALUE_OPS, type FitRow } from './ruleForm.ts';

const CONTACT_LABELS: Record<(typeof FIT_CONTACT_FIELDS)[number], string> = {
  email: 'Email',
  email_domain: 'Email domain',
  first_name: 'First name',
  last_name: 'Last name',
  title: 'Job title',
  phone: 'Phone',
  lifecycle_stage: 'Lifecycle stage',
  source: 'Source',
};
const ACCOUNT_LABELS: Record<(typeof FIT_ACCOUNT_FIELDS)[number], string> = {
  name: 'Account name',
  domain: 'Account domain',
  industry: 'Industry',
  employee_count: 'Company size (employees)',
  country: 'Country',
};

export function valuePlaceholder(op: RuleOp): string {
  switch (op) {
    case 'in':
    case 'not_in':
      return 'a, b, c';
    case 'contains':
    case 'starts_with':
      return 'text (or a, b for any of)';
    case 'between':
      return 'min, max';
    case 'gte':
    case 'lte':
      return 'number';
    default:
      return 'value';
  }
}

export function OpSelect({ value, onChange, disabled, label }: { value: RuleOp; onChange: (op: RuleOp) => void; disabled?: boolean; label: string }) {
  return (
    <select className="input" aria-label={label} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value as RuleOp)}>
      {RULE_OPS.map((op) => (
        <option key={op} value={op}>
          {RULE_OP_LABELS[op]}
        </option>
      ))}
    </select>
  );
}

export function Cell({ error, className, children }: { error?: string; className?: string; children: ReactNode }) {
  return (
    <td className={`${className ?? ''}${error ? ' cell-error' : ''}`}>
      {children}
      {error && <div className="cell-msg">{error}</div>}
    </td>
  );
}

export function FitRulesTable({
  rows,
  setRows,
  errors,
  readOnly,
  contactDefs,
  accountDefs,
}: {
  rows: FitRow[];
  setRows: (rows: FitRow[]) => void;
  errors: Record<string, string>;
  readOnly: boolean;
  contactDefs: PropertyDefinition[];
  accountDefs: PropertyDefinition[];
}) {
  const update = (i: number, patch: Partial<FitRow>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const err = (i: number, f: string) => errors[`rules.${i}.${f}`];
  const known = new Set<string>([
    ...FIT_CONTACT_FIELDS,
    ...contactDefs.map((d) => `prop.${d.key}`),
    ...FIT_ACCOUNT_FIELDS.map((f) => `account.${f}`),
    ...accountDefs.map((d) => `account.prop.${d.key}`),
  ]);
  const positive = rows.reduce((s, r) => s + Math.max(0, Number(r.points) || 0), 0);
  return (
    <>
      <div className="table-wrap">
        <table className="table rule-table" data-testid="fit-rules">
          <thead>
            <tr>
              <th>Rule</th>
              <th>Field</th>
              <th>Condition</th>
              <th>Value</th>
              <th className="num">Points</th>
              <th className="num">Share</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={r.key}>
                <Cell error={err(i, 'label') ?? err(i, 'id')} className="w-label">
                  <input className="input" aria-label={`Rule ${i + 1} label`} value={r.label} disabled={readOnly} placeholder="e.g. Senior title" onChange={(e) => update(i, { label: e.target.value })} />
                </Cell>
                <Cell error={err(i, 'field')} className="w-field">
                  <select className="input" aria-label={`Rule ${i + 1} field`} value={r.field} disabled={readOnly} onChange={(e) => update(i, { field: e.target.value })}>
                    <optgroup label="Contact">
                      {FIT_CONTACT_FIELDS.map((f) => (
                        <option key={f} value={f}>
                          {CONTACT_LABELS[f]}
                        </option>
                      ))}
                      {contactDefs.map((d) => (
                        <option key={d.key} value={`prop.${d.key}`}>
                          {d.label}
                        </option>
                      ))}
                    </optgroup>
                    <optgroup label="Account">
                      {FIT_ACCOUNT_FIELDS.map((f) => (
                        <option key={f} value={`account.${f}`}>
                          {ACCOUNT_LABELS[f]}
                        </option>
                      ))}
                      {accountDefs.map((d) => (
                        <option key={d.key} value={`account.prop.${d.key}`}>
                          {d.label}
                        </option>
                      ))}
                    </optgroup>
                    {!known.has(r.field) && <option value={r.field}>{r.field}</option>}
                  </select>
                </Cell>
                <Cell error={err(i, 'op')} className="w-op">
                  <OpSelect label={`Rule ${i + 1} condition`} value={r.op} disabled={readOnly} onChange={(op) => update(i, { op, ...(NO_VALUE_OPS.includes(op) ? { value: '' } : {}) })} />
                </Cell>
                <Cell error={err(i, 'value')} className="w-value">
                  {NO_VALUE_OPS.includes(r.op) ? (
                    <span className="muted small">—</span>
                  ) : (
                    <input className="input" aria-label={`Rule ${i + 1} value`} value={r.value} disabled={readOnly} placeholder={valuePlaceholder(r.op)} onChange={(e) => update(i, { value: e.target.value })} />
                  )}
                </Cell>
                <Cell error={err(i, 'points')} className="w-points">
                  <input className="input" type="number" aria-label={`Rule ${i + 1} points`} value={r.points} disabled={readOnly} onChange={(e) => update(i, { points: e.target.value })} />
                </Cell>
                <td className="num muted">{positive > 0 && Number(r.points) > 0 ? `${Math.round((100 * Number(r.points)) / positive)} %` : ''}</td>
                <td>
                  {!readOnly && (
                    <button type="button" className="btn btn-sm btn-ghost link-danger" aria-label={`Remove rule ${i + 1}`} onClick={() => setRows(rows.filter((_, j) => j !== i))}>
                      ✕
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!readOnly && (
        <button type="button" className="btn btn-sm" style={{ marginTop: 8 }} onClick={() => setRows([...rows, blankFitRow()])}>
          + Add rule
        </button>
      )}
      <p className="muted small">
        Score = 100 × (points of the matching rules) ÷ (all positive points, now {positive}), between 0 and 100. Negative points lower the score. Text compares
        ignoring case; lists mean “any of”.
      </p>
    </>
  );
}
