// Settings → Webhooks: endpoints (create with the secret shown once, rotate, enable/disable, delete, send a
// test event) and each endpoint's delivery log with manual redelivery.
import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  createWebhook,
  deleteWebhook,
  listWebhooks,
  rotateWebhookSecret,
  sendWebhookTest,
  updateWebhook,
  webhookKeys,
  type WebhookEndpoint,
} from '../../api/webhooks.ts';
import { Badge } from '../../components/Badge.tsx';
import { TextField } from '../../components/Field.tsx';
import { FormDialog, useFormMutation } from '../../components/FormDialog.tsx';
import { formatDate, formatDateTime } from '../../components/format.ts';
import { IconPlus } from '../../components/icons.tsx';
import { ConfirmDialog, Modal } from '../../components/Modal.tsx';
import { Empty, ErrorAlert, ListStates } from '../../components/States.tsx';
import { CopyButton } from '../tracking/shared.tsx';
import { DeliveryLog } from './DeliveryLog.tsx';

function SecretDialog({ title, secret, onClose, rotated }: { title: string; secret: string; onClose: () => void; rotated?: boolean }) {
  return (
    <Modal title={title} onClose={onClose} footer={<button className="btn btn-primary" onClick={onClose}>I have copied the secret</button>}>
      <div className="alert alert-warning" role="alert">
        Copy this signing secret now. It is shown only once; revloop keeps it encrypted and never displays it again.
      </div>
      <div className="secret-box" data-testid="new-webhook-secret" style={{ display: 'flex', gap: 8, alignItems: 'center', marginTop: 12 }}>
        <code id="new-webhook-secret" style={{ wordBreak: 'break-all', flex: 1 }}>{secret}</code>
        <CopyButton text={secret} />
      </div>
      <p className="muted small" style={{ marginTop: 12 }}>
        Verify deliveries with any Standard Webhooks library: the <code>webhook-signature</code> header holds <code>v1,</code> + HMAC-SHA256 of{' '}
        <code>webhook-id.webhook-timestamp.body</code>.
        {rotated && ' For the next 24 hours every delivery carries two signatures, one with the old secret and one with this one, so you can switch without missing events.'}
      </p>
    </Modal>
  );
}

function EndpointDialog({ eventTypes, endpoint, onClose }: { eventTypes: { type: string; label: string }[]; endpoint?: WebhookEndpoint; onClose: () => void }) {
  const qc = useQueryClient();
  const [url, setUrl] = useState(endpoint?.url ?? 'https://');
  const [description, setDescription] = useState(endpoint?.description ?? '');
  const [types, setTypes] = useState<string[]>(endpoint?.eventTypes ?? []);
  const { mutation, errors, setErrors, topError } = useFormMutation({
    mutationFn: async () => {
      const input = { url: url.trim(), description: description.trim() || null, eventTypes: types };
      if (!endpoint) return createWebhook(input);
      await updateWebhook(endpoint.id, input);
      return null;
    },
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: webhookKeys.list });
      if (endpoint) onClose();
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!types.length) return setErrors({ eventTypes: 'Pick at least one event' });
    setErrors({});
    mutation.mutate();
  }
  if (mutation.data) return <SecretDialog title="Endpoint created" secret={mutation.data.secret} onClose={onClose} />;
  return (
    <FormDialog
      title={endpoint ? 'Edit endpoint' : 'Add an endpoint'}
      formId="webhook-endpoint"
      formLabel={endpoint ? 'Edit webhook endpoint' : 'Add a webhook endpoint'}
      onClose={onClose}
      onSubmit={submit}
      error={topError}
      pending={mutation.isPending}
      submitLabel={endpoint ? 'Save' : 'Add endpoint'}
      pendingLabel={endpoint ? 'Saving…' : 'Adding…'}
    >
      <TextField label="URL" name="url" value={url} onChange={(e) => setUrl(e.target.value)} error={errors.url} hint="revloop POSTs JSON here. Private and loopback addresses are refused unless WEBHOOKS_ALLOW_PRIVATE is set." autoFocus />
      <TextField label="Description" name="description" value={description} onChange={(e) => setDescription(e.target.value)} error={errors.description} hint="Optional: what receives these events." />
      <fieldset className="field" style={{ border: 0, padding: 0 }}>
        <legend className="label">Events</legend>
        {eventTypes.map((t) => (
          <label key={t.type} style={{ display: 'flex', gap: 8, alignItems: 'center', margin: '4px 0' }}>
            <input type="checkbox" checked={types.includes(t.type)} onChange={(e) => setTypes(e.target.checked ? [...types, t.type] : types.filter((x) => x !== t.type))} />
            {t.label} <code className="muted small">{t.type}</code>
          </label>
        ))}
        {errors.eventTypes && <div className="field-error">{errors.eventTypes}</div>}
      </fieldset>
    </FormDialog>
  );
}

function StatusBadge({ e }: { e: WebhookEndpoint }) {
  if (e.enabled) return <Badge tone="green">Enabled</Badge>;
  return <span title={e.disabledReason ?? undefined}><Badge tone={e.disabledReason ? 'red' : 'gray'}>Disabled</Badge></span>;
}

export function WebhooksPage() {
  const qc = useQueryClient();
  const list = useQuery({ queryKey: webhookKeys.list, queryFn: listWebhooks });
  const [adding, setAdding] = useState(false);
  const [open, setOpen] = useState<number | null>(null);
  const [secret, setSecret] = useState<{ title: string; secret: string } | null>(null);
  const [deleting, setDeleting] = useState<WebhookEndpoint | null>(null);
  const [editing, setEditing] = useState<WebhookEndpoint | null>(null);
  const [rotating, setRotating] = useState<WebhookEndpoint | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: ['webhooks'] });
  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    setNotice(null);
    try {
      await fn();
    } catch (e) {
      setError(e);
    }
    await refresh();
  };
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Webhooks</h1>
          <p className="subtitle">revloop POSTs signed events (Standard Webhooks) to these URLs, retrying failures for about three days.</p>
        </div>
        <button className="btn btn-primary" onClick={() => setAdding(true)}>
          <IconPlus /> Add endpoint
        </button>
      </div>
      {error != null && <ErrorAlert error={error} />}
      {notice && <div className="alert alert-success" role="status">{notice}</div>}
      <div className="card">
        <ListStates
          query={list}
          loading="Loading webhooks…"
          errorTitle="Could not load webhooks"
          empty={
            <Empty title="No webhook endpoints yet" actions={<button className="btn btn-primary" onClick={() => setAdding(true)}>Add endpoint</button>}>
              Send contact, lifecycle, handoff and deal events to your CRM, chat or data warehouse as they happen.
            </Empty>
          }
        >
          {(data) => (
            <div className="table-wrap">
              <table className="table" data-testid="webhooks-table">
                <thead>
                  <tr>
                    <th>Endpoint</th>
                    <th>Events</th>
                    <th>Status</th>
                    <th>Secret</th>
                    <th>Deliveries</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((e) => (
                    <tr key={e.id}>
                      <td className="primary" style={{ minWidth: 280 }}>
                        <div style={{ wordBreak: 'break-all' }}>{e.url}</div>
                        {e.description && <div className="muted small">{e.description}</div>}
                        <div className="muted small" style={{ fontWeight: 'normal' }}>Added {formatDate(e.createdAt)}</div>
                        {e.disabledReason && <div className="small" style={{ color: 'var(--red, #b91c1c)' }}>{e.disabledReason}</div>}
                      </td>
                      <td className="small">{e.eventTypes.map((t) => <div key={t}><code>{t}</code></div>)}</td>
                      <td><StatusBadge e={e} /></td>
                      <td className="small">
                        <code>{e.secretHint}</code>
                        {e.previousSecretExpiresAt && <div className="muted">old secret also signs until {formatDateTime(e.previousSecretExpiresAt)}</div>}
                      </td>
                      <td className="small nowrap">
                        <div>{e.stats.succeeded} delivered</div>
                        {e.stats.pending > 0 && <div style={{ color: 'var(--amber, #b45309)' }}>{e.stats.pending} retrying</div>}
                        {e.stats.failed > 0 && <div style={{ color: 'var(--red, #b91c1c)' }}>{e.stats.failed} failed</div>}
                      </td>
                      <td style={{ textAlign: 'right', minWidth: 250 }}>
                        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 6, justifyContent: 'flex-end' }}>
                        <button className="btn btn-sm" onClick={() => setOpen(open === e.id ? null : e.id)}>{open === e.id ? 'Hide log' : 'Delivery log'}</button>
                        <button className="btn btn-sm" onClick={() => act(async () => {
                          const d = await sendWebhookTest(e.id);
                          setNotice(d.status === 'succeeded' ? `Test event delivered (HTTP ${d.lastStatusCode}).` : `Test event failed: ${d.lastError ?? 'no answer'}`);
                          setOpen(e.id);
                        })}>Send test</button>
                        <button className="btn btn-sm" onClick={() => setEditing(e)}>Edit</button>
                        <button className="btn btn-sm" onClick={() => act(() => updateWebhook(e.id, { enabled: !e.enabled }))}>{e.enabled ? 'Disable' : 'Enable'}</button>
                        <button className="btn btn-sm" onClick={() => setRotating(e)}>Rotate secret</button>
                        <button className="btn btn-sm btn-danger" onClick={() => setDeleting(e)}>Delete</button>
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </ListStates>
      </div>
      {open != null && list.data?.items.some((e) => e.id === open) && <DeliveryLog endpoint={list.data.items.find((e) => e.id === open)!} />}
      {adding && list.data && <EndpointDialog eventTypes={list.data.eventTypes} onClose={() => setAdding(false)} />}
      {editing && list.data && <EndpointDialog eventTypes={list.data.eventTypes} endpoint={editing} onClose={() => setEditing(null)} />}
      {secret && <SecretDialog title={secret.title} secret={secret.secret} rotated onClose={() => setSecret(null)} />}
      {rotating && (
        <ConfirmDialog
          title="Rotate the signing secret?"
          confirmLabel="Rotate secret"
          onClose={() => setRotating(null)}
          onConfirm={async () => {
            const r = await rotateWebhookSecret(rotating.id);
            setSecret({ title: 'New signing secret', secret: r.secret });
            await refresh();
          }}
        >
          A new secret signs every delivery from now on. The old one keeps signing too for 24 hours (two signatures per delivery), so update your receiver within a day.
        </ConfirmDialog>
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete ${deleting.url}?`}
          confirmLabel="Delete endpoint"
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await deleteWebhook(deleting.id);
            if (open === deleting.id) setOpen(null);
            await refresh();
          }}
        >
          Pending deliveries are dropped and the delivery log is deleted. This cannot be undone.
        </ConfirmDialog>
      )}
    </>
  );
}
