// Email → Outbox: every message and its state. Without an SMTP server configured the messages are kept here
// (the embedded outbox) so you can see exactly what would be sent; open one to read the rendered email.
import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { cancelMessage, emailKeys, getMessage, listOutbox, retryMessage, STATUS_TONES, type MessageStatus, type OutboxMessage } from '../../api/email.ts';
import { Badge } from '../../components/Badge.tsx';
import { formatDateTime } from '../../components/format.ts';
import { Modal } from '../../components/Modal.tsx';
import { Empty, ErrorAlert, ErrorState, ListStates, Loading } from '../../components/States.tsx';
import { useCan } from '../identity/auth.tsx';
import { EmailTabs } from './EmailNav.tsx';

const STATUSES: MessageStatus[] = ['queued', 'sending', 'sent', 'blocked', 'failed', 'cancelled'];

function statusLabel(m: OutboxMessage): string {
  if (m.status === 'sent' && m.transport === 'outbox') return 'in outbox';
  return m.status;
}

function MessageDialog({ id, onClose }: { id: string; onClose: () => void }) {
  const q = useQuery({ queryKey: emailKeys.message(id), queryFn: () => getMessage(id) });
  const [view, setView] = useState<'html' | 'text' | 'headers'>('html');
  return (
    <Modal title={q.data?.subject ?? 'Message'} onClose={onClose} wide>
      {q.isPending ? <Loading /> : q.isError ? <ErrorState error={q.error} /> : (
        <>
          <p className="small">To <strong>{q.data.toEmail}</strong> · <Badge tone={STATUS_TONES[q.data.status]}>{statusLabel(q.data)}</Badge>{q.data.error && <span className="muted"> — {q.data.error}</span>}</p>
          <div role="group" aria-label="Part" style={{ display: 'flex', gap: 4, marginBottom: 8 }}>
            {(['html', 'text', 'headers'] as const).map((v) => <button key={v} className={`btn${view === v ? ' btn-primary' : ''}`} onClick={() => setView(v)}>{v === 'html' ? 'HTML' : v === 'text' ? 'Plain text' : 'Headers & links'}</button>)}
          </div>
          {!q.data.html ? <p className="muted">Not rendered yet: messages are rendered when they are sent.</p> : view === 'html' ? (
            <iframe title="Rendered message" sandbox="" srcDoc={q.data.html} style={{ width: '100%', height: 480, border: '1px solid #e5e7eb', borderRadius: 6, background: '#fff' }} />
          ) : view === 'text' ? <pre style={{ whiteSpace: 'pre-wrap', fontSize: 13 }}>{q.data.text}</pre> : (
            <>
              <table className="table small"><tbody>{Object.entries(q.data.headers ?? {}).map(([k, v]) => <tr key={k}><th>{k}</th><td><code style={{ wordBreak: 'break-all' }}>{v}</code></td></tr>)}</tbody></table>
              <h3 style={{ fontSize: 14 }}>Tracked links (the only URLs a click may redirect to)</h3>
              <ol className="small">{q.data.links.map((l) => <li key={l.idx}><code style={{ wordBreak: 'break-all' }}>{l.url}</code></li>)}</ol>
            </>
          )}
        </>
      )}
    </Modal>
  );
}

export function OutboxPage() {
  const qc = useQueryClient();
  const [status, setStatus] = useState<string>('');
  const [before, setBefore] = useState<string[]>([]);
  const cursor = before[before.length - 1];
  const list = useQuery({ queryKey: emailKeys.outbox({ status, cursor }), queryFn: () => listOutbox({ status: status || undefined, before: cursor }), refetchInterval: 5000 });
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const canManage = useCan('email:manage');
  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e);
    }
    await qc.invalidateQueries({ queryKey: ['email', 'outbox'] });
  };
  const counts = list.data?.counts ?? {};
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Email</h1>
          <p className="subtitle">Every message revloop queued, sent, kept or refused, newest first.</p>
        </div>
      </div>
      <EmailTabs />
      {list.data && !list.data.smtpConfigured && (
        <div className="alert alert-info" role="status" data-testid="outbox-notice">
          No SMTP server is configured, so nothing leaves revloop: messages are rendered and kept here as they would be sent. Add your SMTP server under <Link to="/email/domain">Sending domain</Link> to deliver them.
        </div>
      )}
      {error != null && <ErrorAlert error={error} />}
      <div style={{ display: 'flex', gap: 6, flexWrap: 'wrap', margin: '8px 0 12px' }} role="group" aria-label="Filter by status">
        <button className={`btn${status === '' ? ' btn-primary' : ''}`} onClick={() => { setStatus(''); setBefore([]); }}>All</button>
        {STATUSES.map((s) => <button key={s} className={`btn${status === s ? ' btn-primary' : ''}`} onClick={() => { setStatus(s); setBefore([]); }}>{s} {counts[s] ? `(${counts[s]})` : ''}</button>)}
      </div>
      <div className="card">
        <ListStates
          query={list}
          loading="Loading messages…"
          errorTitle="Could not load the outbox"
          empty={<Empty title={status ? `No ${status} messages` : 'No messages yet'}>Messages appear here when a nurture program or a test-send from a template queues them.</Empty>}
        >
          {(data) => (
            <div className="table-wrap">
              <table className="table" data-testid="outbox-table">
                <thead><tr><th>Queued</th><th>To</th><th>Subject</th><th>From</th><th>Status</th><th>Opened</th><th>Clicked</th><th /></tr></thead>
                <tbody>
                  {data.items.map((m) => (
                    <tr key={m.id}>
                      <td>{formatDateTime(m.queuedAt)}</td>
                      <td>{m.contactId ? <Link to={`/contacts/${m.contactId}`}>{m.toEmail}</Link> : m.toEmail}</td>
                      <td><button className="link-button" onClick={() => setOpen(m.id)} style={{ background: 'none', border: 0, padding: 0, color: '#4c5fd5', cursor: 'pointer', textAlign: 'left' }}>{m.subject ?? m.templateName ?? '(not rendered yet)'}</button>{m.isTest && <> <Badge>test</Badge></>}</td>
                      <td className="small muted">{m.programId ? `program ${m.programId}` : m.campaignId ? `campaign ${m.campaignId}` : m.templateName ?? ''}</td>
                      <td><span title={m.error ?? undefined}><Badge tone={STATUS_TONES[m.status]}>{statusLabel(m)}</Badge></span>{m.unsubscribedAt && <> <Badge tone="amber">unsubscribed</Badge></>}{m.bouncedAt && <> <Badge tone="red">bounced</Badge></>}</td>
                      <td>{m.firstOpenedAt ? formatDateTime(m.firstOpenedAt) : '—'}</td>
                      <td>{m.firstClickedAt ? formatDateTime(m.firstClickedAt) : '—'}</td>
                      <td>
                        {canManage && (m.status === 'failed' || m.status === 'blocked') && <button className="btn btn-sm" onClick={() => act(() => retryMessage(m.id))}>Retry</button>}
                        {canManage && m.status === 'queued' && <button className="btn btn-sm" onClick={() => act(() => cancelMessage(m.id))}>Cancel</button>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <div style={{ display: 'flex', gap: 8, padding: 8 }}>
                {before.length > 0 && <button className="btn" onClick={() => setBefore(before.slice(0, -1))}>Newer</button>}
                {data.nextCursor && <button className="btn" onClick={() => setBefore([...before, data.nextCursor!])}>Older</button>}
              </div>
            </div>
          )}
        </ListStates>
      </div>
      {open && <MessageDialog id={open} onClose={() => setOpen(null)} />}
    </>
  );
}
