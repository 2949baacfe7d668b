// The delivery log of one endpoint: newest first, each delivery with its attempts (request body, response
// code and body, duration, error, next retry) and a Redeliver button.
import { Fragment, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { listWebhookDeliveries, redeliverWebhook, webhookKeys, type WebhookDelivery, type WebhookEndpoint } from '../../api/webhooks.ts';
import { Badge } from '../../components/Badge.tsx';
import { formatDate, formatDateTime } from '../../components/format.ts';
import { Empty, ErrorAlert, ListStates } from '../../components/States.tsx';

/** "in 5 s", "in 59 min", "in 3 h", or the date when further out; "now" when due. */
export function formatUntil(iso: string): string {
  const s = Math.round((new Date(iso).getTime() - Date.now()) / 1000);
  if (s <= 0) return 'due now';
  if (s < 60) return `in ${s} s`;
  if (s < 3600) return `in ${Math.round(s / 60)} min`;
  if (s < 86400) return `in ${Math.round(s / 3600)} h`;
  return formatDate(iso);
}

const TONE = { succeeded: 'green', pending: 'amber', failed: 'red' } as const;
const LABEL = { succeeded: 'Delivered', pending: 'Retrying', failed: 'Failed' } as const;

function Attempts({ d }: { d: WebhookDelivery }) {
  return (
    <div style={{ padding: '8px 0' }}>
      {d.attemptLog.map((a) => (
        <div key={a.id} className="card" style={{ padding: 12, marginBottom: 8 }}>
          <div className="small" style={{ display: 'flex', gap: 16, flexWrap: 'wrap' }}>
            <strong>Attempt {a.attempt}{a.manual ? ' (manual)' : ''}</strong>
            <span>{formatDateTime(a.at)}</span>
            <span>Response: {a.responseCode ?? '—'}</span>
            <span>{a.durationMs} ms</span>
            {a.error && <span style={{ color: 'var(--red, #b91c1c)' }}>{a.error}</span>}
            {a.nextRetryAt && <span className="muted">next retry {formatDateTime(a.nextRetryAt)}</span>}
          </div>
          <details style={{ marginTop: 6 }}>
            <summary className="small muted">Request and response</summary>
            <div className="small muted" style={{ marginTop: 8 }}>Request headers</div>
            <pre className="small" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{Object.entries(a.requestHeaders).map(([k, v]) => `${k}: ${v}`).join('\n')}</pre>
            <div className="small muted">Request body</div>
            <pre className="small" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', maxHeight: 240, overflow: 'auto' }}>{a.requestBody}</pre>
            <div className="small muted">Response body{a.responseBody ? '' : ': none'}</div>
            {a.responseBody && <pre className="small" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{a.responseBody}</pre>}
          </details>
        </div>
      ))}
      {!d.attemptLog.length && <div className="muted small">Not attempted yet.</div>}
    </div>
  );
}

export function DeliveryLog({ endpoint }: { endpoint: WebhookEndpoint }) {
  const qc = useQueryClient();
  const [status, setStatus] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<number | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const q = useQuery({ queryKey: webhookKeys.deliveries(endpoint.id, status), queryFn: () => listWebhookDeliveries(endpoint.id, status), refetchInterval: 5000 });
  return (
    <div className="card" style={{ marginTop: 16 }} data-testid="webhook-delivery-log">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', padding: '12px 16px' }}>
        <h2 style={{ margin: 0, fontSize: 16 }}>Delivery log · <span className="muted">{endpoint.url}</span></h2>
        <select value={status ?? ''} onChange={(e) => setStatus(e.target.value || null)} aria-label="Filter by status">
          <option value="">All deliveries</option>
          <option value="succeeded">Delivered</option>
          <option value="pending">Waiting to retry</option>
          <option value="failed">Failed</option>
        </select>
      </div>
      {error != null && <ErrorAlert error={error} />}
      <ListStates query={q} loading="Loading deliveries…" errorTitle="Could not load deliveries" empty={<Empty title="No deliveries yet">Events this endpoint subscribes to appear here as they are sent. Try “Send test”.</Empty>}>
        {(data) => (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th>Event</th>
                  <th>Status</th>
                  <th>Attempts</th>
                  <th>Last response</th>
                  <th>Next retry</th>
                  <th>Created</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {data.items.map((d) => (
                  <Fragment key={d.id}>
                    <tr>
                      <td>
                        <code>{d.eventType}</code>
                        <div className="muted small"><code>{d.msgId}</code></div>
                      </td>
                      <td><Badge tone={TONE[d.status]}>{LABEL[d.status]}</Badge></td>
                      <td>{d.attempts}</td>
                      <td className="small">{d.lastStatusCode ?? '—'}{d.lastError && <div className="muted">{d.lastError}</div>}</td>
                      <td className="muted small nowrap">{d.nextAttemptAt ? <span title={formatDateTime(d.nextAttemptAt)}>{formatUntil(d.nextAttemptAt)}</span> : '—'}</td>
                      <td className="muted small nowrap">{formatDateTime(d.createdAt)}</td>
                      <td className="nowrap" style={{ textAlign: 'right' }}>
                        <button className="btn btn-sm" onClick={() => setExpanded(expanded === d.id ? null : d.id)}>{expanded === d.id ? 'Hide' : 'Details'}</button>{' '}
                        <button
                          className="btn btn-sm"
                          disabled={busy === d.id}
                          onClick={async () => {
                            setBusy(d.id);
                            setError(null);
                            try {
                              await redeliverWebhook(endpoint.id, d.id);
                              setExpanded(d.id);
                            } catch (e) {
                              setError(e);
                            }
                            setBusy(null);
                            await qc.invalidateQueries({ queryKey: ['webhooks'] });
                          }}
                        >
                          {busy === d.id ? 'Sending…' : 'Redeliver'}
                        </button>
                      </td>
                    </tr>
                    {expanded === d.id && (
                      <tr>
                        <td colSpan={7}><Attempts d={d} /></td>
                      </tr>
                    )}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </ListStates>
    </div>
  );
}
