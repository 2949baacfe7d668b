// Email → Sending domain: the sender and SMTP server (none: messages stay in the outbox), each sending
// domain's SPF / DKIM / DMARC records to publish with the result of the last DNS check, and its throttle; where
// bounces come back (bounce domain and receiver).
import { useEffect, useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { checkDomain, createDomain, deleteDomain, emailKeys, getSettings, listDomains, updateSettings, type RecordCheck, type SendingDomain } from '../../api/email.ts';
import { ApiError } from '../../api/client.ts';
import { Badge } from '../../components/Badge.tsx';
import { TextField } from '../../components/Field.tsx';
import { FormDialog, useFormMutation } from '../../components/FormDialog.tsx';
import { formatDateTime } from '../../components/format.ts';
import { IconPlus } from '../../components/icons.tsx';
import { ConfirmDialog } from '../../components/Modal.tsx';
import { Empty, ErrorAlert, ListStates, Loading } from '../../components/States.tsx';
import { useCan } from '../identity/auth.tsx';
import { CopyButton } from '../tracking/shared.tsx';
import { EmailTabs } from './EmailNav.tsx';

function SettingsCard() {
  const qc = useQueryClient();
  const canManage = useCan('email:manage');
  const s = useQuery({ queryKey: emailKeys.settings, queryFn: getSettings });
  const [form, setForm] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (s.data) setForm({ fromName: s.data.fromName, fromEmail: s.data.fromEmail, replyTo: s.data.replyTo ?? '', smtpHost: s.data.smtpHost ?? '', smtpPort: String(s.data.smtpPort), smtpUser: s.data.smtpUser ?? '', smtpPassword: '', trackingBaseUrl: s.data.trackingBaseUrl ?? '', bounceDomain: s.data.bounceDomain ?? '', optOutAlertPct: String(s.data.optOutAlertPct), bounceAlertPct: String(s.data.bounceAlertPct) });
  }, [s.data]);
  if (s.isPending) return <Loading />;
  if (s.isError) return <ErrorAlert error={s.error} />;
  const f = (k: string) => ({ value: form[k] ?? '', onChange: (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value }), error: errors[k], disabled: !canManage });
  async function save(e: FormEvent) {
    e.preventDefault();
    setErrors({});
    setError(null);
    setSaved(false);
    try {
      await updateSettings({
        fromName: form.fromName, fromEmail: form.fromEmail, replyTo: form.replyTo || null, smtpHost: form.smtpHost || null, smtpPort: Number(form.smtpPort), smtpUser: form.smtpUser || null,
        ...(form.smtpPassword ? { smtpPassword: form.smtpPassword } : {}), trackingBaseUrl: form.trackingBaseUrl || null, bounceDomain: form.bounceDomain ?? '', optOutAlertPct: Number(form.optOutAlertPct), bounceAlertPct: Number(form.bounceAlertPct),
      });
      await qc.invalidateQueries({ queryKey: ['email'] });
      setSaved(true);
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fieldErrors).length) setErrors(err.fieldErrors);
      else setError(err);
    }
  }
  return (
    <form className="card" style={{ padding: 16 }} onSubmit={save} aria-label="Sender and SMTP">
      <h2 style={{ fontSize: 16, marginTop: 0 }}>Sender and SMTP server {s.data.smtpHost ? <Badge tone="green">SMTP configured</Badge> : <Badge tone="amber">Outbox only</Badge>}</h2>
      {error != null && <ErrorAlert error={error} />}
      {saved && <div className="alert alert-success" role="status">Saved.</div>}
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))', gap: '0 16px' }}>
        <TextField label="From name" {...f('fromName')} />
        <TextField label="From address" {...f('fromEmail')} hint="Its domain must be a sending domain below to be DKIM-signed." />
        <TextField label="Reply-to" {...f('replyTo')} />
        <TextField label="SMTP host" {...f('smtpHost')} hint="Empty: nothing is sent; messages stay in the Outbox." />
        <TextField label="SMTP port" {...f('smtpPort')} inputMode="numeric" />
        <TextField label="SMTP user" {...f('smtpUser')} />
        <TextField label="SMTP password" type="password" {...f('smtpPassword')} placeholder={s.data.smtpPasswordSet ? '•••••••• (kept)' : ''} hint="Stored encrypted; never shown again." />
        <TextField label="Tracking base URL" {...f('trackingBaseUrl')} hint="Public URL of this server for open, click and unsubscribe links." />
        <TextField label="Bounce domain (Return-Path)" {...f('bounceDomain')} placeholder="bounces.example.com" hint="Messages go out from bounce+<id>@ this domain; its MX points at revloop’s bounce receiver." />
        <TextField label="Opt-out alert at (%)" {...f('optOutAlertPct')} inputMode="numeric" />
        <TextField label="Bounce alert at (%)" {...f('bounceAlertPct')} inputMode="numeric" />
      </div>
      <BounceStatus domain={s.data.bounceDomain} receiver={s.data.bounceReceiver} />
      {canManage && <button className="btn btn-primary" type="submit">Save settings</button>}
    </form>
  );
}

/** Where bounces and complaints come back, and what is still missing for that. */
function BounceStatus({ domain, receiver }: { domain: string | null; receiver: string | null }) {
  let tone: 'green' | 'amber' | 'gray' = 'gray';
  let text: string;
  if (domain && receiver) {
    tone = 'green';
    text = `Bounces and complaints to bounce+…@${domain} are taken by this server’s bounce receiver (SMTP on ${receiver}): publish an MX record for ${domain} pointing at this server.`;
    if (/^(127\.|::1|localhost)/.test(receiver)) text += ' It listens on loopback only: for mail from the internet, start revloop with BOUNCE_SMTP_HOST=0.0.0.0 and BOUNCE_SMTP_PORT=25.';
  } else if (domain) {
    tone = 'amber';
    text = `Messages go out from bounce+…@${domain}, but this server runs no bounce receiver: start revloop with BOUNCE_SMTP_PORT=25 (and BOUNCE_SMTP_HOST=0.0.0.0), or bounces are lost.`;
  } else {
    text = 'No bounce domain: bounces go to the From address. Set one (and BOUNCE_SMTP_PORT) to have them processed on their own, or forward them to POST /api/v1/email/inbound.';
  }
  return (
    <p className="small" data-testid="bounce-status" style={{ margin: '4px 0 12px' }}>
      <Badge tone={tone}>{tone === 'green' ? 'Bounces processed' : tone === 'amber' ? 'Bounce receiver off' : 'Bounces manual'}</Badge> {text}
    </p>
  );
}

function RecordRow({ label, r }: { label: string; r: RecordCheck }) {
  return (
    <tr>
      <td><strong>{label}</strong><div>{r.ok ? <Badge tone="green">OK</Badge> : <Badge tone={r.problem === 'Not checked yet' ? 'gray' : 'red'}>{r.problem === 'Not checked yet' ? 'not checked' : 'problem'}</Badge>}</div></td>
      <td><code className="small">{r.name}</code> TXT</td>
      <td style={{ maxWidth: 420 }}><div style={{ display: 'flex', gap: 6, alignItems: 'flex-start' }}><code className="small" style={{ wordBreak: 'break-all' }}>{r.expected}</code><CopyButton text={r.expected} /></div></td>
      <td className="small">{r.problem ?? 'Found'}{r.found.length > 0 && <div className="muted" style={{ wordBreak: 'break-all' }}>Found: {r.found.join(' | ').slice(0, 200)}</div>}</td>
    </tr>
  );
}

function DomainCard({ d }: { d: SendingDomain }) {
  const qc = useQueryClient();
  const canManage = useCan('email:manage');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [removing, setRemoving] = useState(false);
  return (
    <div className="card" style={{ padding: 16, marginBottom: 16 }} data-testid="sending-domain">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
        <h2 style={{ fontSize: 16, margin: 0 }}>{d.domain} {d.verified ? <Badge tone="green">verified</Badge> : <Badge tone="amber">not verified</Badge>}</h2>
        {canManage && (
          <div style={{ display: 'flex', gap: 8 }}>
            <button className="btn" onClick={() => setRemoving(true)}>Remove</button>
            <button className="btn btn-primary" disabled={busy} onClick={async () => { setBusy(true); setError(null); try { await checkDomain(d.id); } catch (e) { setError(e); } await qc.invalidateQueries({ queryKey: emailKeys.domains }); setBusy(false); }}>{busy ? 'Checking DNS…' : 'Check DNS now'}</button>
          </div>
        )}
      </div>
      <p className="small muted">DKIM selector <code>{d.dkimSelector}</code> · at most {d.throttlePerMinute} messages a minute · {d.checkedAt ? `checked ${formatDateTime(d.checkedAt)}` : 'never checked'}</p>
      {error != null && <ErrorAlert error={error} />}
      <table className="table">
        <thead><tr><th>Record</th><th>Name</th><th>Publish this value</th><th>Last check</th></tr></thead>
        <tbody>
          <RecordRow label="SPF" r={d.records.spf} />
          <RecordRow label="DKIM" r={d.records.dkim} />
          <RecordRow label="DMARC" r={d.records.dmarc} />
        </tbody>
      </table>
      {removing && <ConfirmDialog title={`Remove ${d.domain}?`} confirmLabel="Remove" onClose={() => setRemoving(false)} onConfirm={async () => { await deleteDomain(d.id); await qc.invalidateQueries({ queryKey: emailKeys.domains }); setRemoving(false); }}>Messages from this domain are no longer DKIM-signed or throttled. Its DKIM key is deleted.</ConfirmDialog>}
    </div>
  );
}

function AddDomainDialog({ onClose }: { onClose: () => void }) {
  const qc = useQueryClient();
  const [domain, setDomain] = useState('');
  const [spfInclude, setSpf] = useState('');
  const [throttle, setThrottle] = useState('600');
  const { mutation, errors, topError } = useFormMutation({
    mutationFn: () => createDomain({ domain, spfInclude: spfInclude || null, throttlePerMinute: Number(throttle) }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: emailKeys.domains });
      onClose();
    },
  });
  return (
    <FormDialog title="Add a sending domain" formId="domain" formLabel="Add a sending domain" onClose={onClose} onSubmit={(e: FormEvent) => { e.preventDefault(); mutation.mutate(); }} error={topError} pending={mutation.isPending} submitLabel="Add domain" pendingLabel="Generating DKIM key…">
      <TextField label="Domain" value={domain} onChange={(e) => setDomain(e.target.value)} error={errors.domain} placeholder="mail.example.com" autoFocus />
      <TextField label="SPF include of your SMTP provider" value={spfInclude} onChange={(e) => setSpf(e.target.value)} error={errors.spfInclude} placeholder="include:_spf.provider.net" />
      <TextField label="Throttle (messages per minute)" value={throttle} onChange={(e) => setThrottle(e.target.value)} error={errors.throttlePerMinute} inputMode="numeric" />
    </FormDialog>
  );
}

export function DomainPage() {
  const list = useQuery({ queryKey: emailKeys.domains, queryFn: listDomains });
  const [adding, setAdding] = useState(false);
  const canManage = useCan('email:manage');
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Email</h1>
          <p className="subtitle">Publish the SPF, DKIM and DMARC records below in your DNS, then check them. revloop signs every message from a sending domain with its DKIM key.</p>
        </div>
        {canManage && <button className="btn btn-primary" onClick={() => setAdding(true)}><IconPlus /> Add sending domain</button>}
      </div>
      <EmailTabs />
      <SettingsCard />
      <div style={{ marginTop: 16 }}>
        <ListStates query={list} loading="Loading domains…" errorTitle="Could not load sending domains" empty={<div className="card"><Empty title="No sending domain yet" actions={canManage && <button className="btn btn-primary" onClick={() => setAdding(true)}>Add your sending domain</button>}>Add the domain of your From address: revloop generates its DKIM key and shows the DNS records to publish.</Empty></div>}>
          {(data) => <>{data.items.map((d) => <DomainCard key={d.id} d={d} />)}</>}
        </ListStates>
      </div>
      {adding && <AddDomainDialog onClose={() => setAdding(false)} />}
    </>
  );
}
