// The program page's side cards: the dry run ("who would enter and where would they be after N days", on the
// definition as edited) and a test send of an email step to one contact (found by name or email).
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from '@tanstack/react-query';
import { listContacts } from '../../api/contacts.ts';
import { dryRun, testSend, type DryRunResult, type Program } from '../../api/nurture.ts';
import { formatNumber } from '../../components/format.ts';
import { ErrorAlert } from '../../components/States.tsx';

type Def = Program['definition'];

export function DryRunCard({ program, draft }: { program: Program; draft: Def }) {
  const [days, setDays] = useState(14);
  const run = useMutation({ mutationFn: () => dryRun(program.id, { days, definition: draft }) });
  const r: DryRunResult | undefined = run.data;
  return (
    <div className="card" data-testid="dry-run">
      <div className="card-header">
        <h2>Dry run</h2>
      </div>
      <div className="card-body">
        <div className="form-row" style={{ alignItems: 'flex-end' }}>
          <div className="field">
            <label htmlFor="dr-days">After how many days?</label>
            <input id="dr-days" className="input" type="number" min={0} max={365} value={days} onChange={(e) => setDays(Number(e.target.value))} />
          </div>
          <div className="field">
            <button className="btn" onClick={() => run.mutate()} disabled={run.isPending}>
              {run.isPending ? 'Simulating…' : 'Run dry run'}
            </button>
          </div>
        </div>
        <p className="muted small">Uses the definition as edited (saved or not). Nothing is written; no events are assumed, so waits for events time out.</p>
        {run.error && <ErrorAlert error={run.error} />}
        {r && (
          <>
            <p>
              <strong>{formatNumber(r.entering)}</strong> contacts would enter now{r.alreadyEnrolled ? ` (${formatNumber(r.alreadyEnrolled)} already in the program)` : ''}. After {r.days} days:
            </p>
            {r.entering === 0 ? (
              <p className="muted">No contact meets the entry criteria today. Widen them (another stage, a lower score) or wait for new leads.</p>
            ) : (
              <table className="table" data-testid="dry-run-positions">
                <thead>
                  <tr>
                    <th>Where</th>
                    <th className="num">Contacts</th>
                  </tr>
                </thead>
                <tbody>
                  {r.positions.map((p) => (
                    <tr key={`${p.stepId}|${p.label}`}>
                      <td>{p.stepId ? `Waiting at “${p.label}”` : p.label}</td>
                      <td className="num">{formatNumber(p.count)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {r.sample.length > 0 && (
              <details style={{ marginTop: 'var(--s3)' }}>
                <summary>First {r.sample.length} contacts and their path</summary>
                <table className="table">
                  <tbody>
                    {r.sample.map((s) => (
                      <tr key={s.contact.id}>
                        <td>
                          <Link to={`/contacts/${s.contact.id}`}>{s.contact.name ?? s.contact.email}</Link>
                        </td>
                        <td className="mono small">{s.path.join(' → ') || '—'}</td>
                        <td>{s.label}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </details>
            )}
          </>
        )}
      </div>
    </div>
  );
}

export function TestSendCard({ program }: { program: Program }) {
  const emailSteps = program.definition.steps.filter((s) => s.type === 'send_email' || s.type === 'send_content');
  const [stepId, setStepId] = useState(emailSteps[0]?.id ?? '');
  const [contactId, setContactId] = useState('');
  const [q, setQ] = useState('');
  const [debounced, setDebounced] = useState('');
  useEffect(() => {
    const t = setTimeout(() => setDebounced(q.trim()), 300);
    return () => clearTimeout(t);
  }, [q]);
  const found = useQuery({ queryKey: ['contacts', { q: debounced, limit: '8' }], queryFn: () => listContacts({ q: debounced || undefined, limit: '8' }), enabled: emailSteps.length > 0 });
  const items = found.data?.items ?? [];
  useEffect(() => {
    if (items.length && !items.some((c) => String(c.id) === contactId)) setContactId(String(items[0]!.id));
  }, [items, contactId]);
  const send = useMutation({ mutationFn: () => testSend(program.id, { stepId, contactId: Number(contactId) }) });
  if (!emailSteps.length) return null;
  return (
    <div className="card" data-testid="test-send">
      <div className="card-header">
        <h2>Test send</h2>
      </div>
      <div className="card-body">
        <div className="form-row" style={{ alignItems: 'flex-end' }}>
          <div className="field">
            <label htmlFor="ts-step">Email step</label>
            <select id="ts-step" className="input" value={stepId} onChange={(e) => setStepId(e.target.value)}>
              {emailSteps.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.label || s.id}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="ts-q">Find a contact</label>
            <input id="ts-q" className="input" type="search" placeholder="Name or email" value={q} onChange={(e) => setQ(e.target.value)} />
          </div>
        </div>
        <div className="form-row" style={{ alignItems: 'flex-end' }}>
          <div className="field">
            <label htmlFor="ts-contact">Send to</label>
            <select id="ts-contact" className="input" value={contactId} onChange={(e) => setContactId(e.target.value)}>
              {!items.length && <option value="">{found.isPending ? 'Loading…' : 'No contact matches'}</option>}
              {items.map((c) => (
                <option key={c.id} value={c.id}>
                  {[c.firstName, c.lastName].filter(Boolean).join(' ') || c.email} · {c.email}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <button className="btn" disabled={!contactId || send.isPending} onClick={() => send.mutate()}>
              Send test
            </button>
          </div>
        </div>
        <p className="muted small">Goes through the outbox like a real send: consent and the suppression list still apply.</p>
        {send.error && <ErrorAlert error={send.error} />}
        {send.data && <p data-testid="test-send-result">{send.data.note}</p>}
      </div>
    </div>
  );
}
