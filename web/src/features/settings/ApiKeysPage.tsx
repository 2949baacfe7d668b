// Settings → API keys: create (key shown once), list, revoke.
import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createApiKey, keys, listApiKeys, revokeApiKey } from '../../api/identity.ts';
import type { ApiKey, Role } from '../../api/types.ts';
import { SelectField, TextField } from '../../components/Field.tsx';
import { formatDate, formatRelative } from '../../components/format.ts';
import { IconKey, IconPlus } from '../../components/icons.tsx';
import { ConfirmDialog } from '../../components/Modal.tsx';
import { RevokeCell } from '../../components/RevokeCell.tsx';
import { SecretOnceDialog } from '../../components/SecretOnceDialog.tsx';
import { Empty, ListStates } from '../../components/States.tsx';
import { FormDialog, useFormMutation } from '../../components/FormDialog.tsx';
import { ROLES, RoleOptions } from './roles.tsx';

function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      className="btn btn-sm"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
        } catch {
          // Clipboard API unavailable (http): select the text instead.
          const el = document.getElementById('new-api-key');
          if (el) window.getSelection()?.selectAllChildren(el);
        }
        setCopied(true);
        setTimeout(() => setCopied(false), 2000);
      }}
    >
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}

function NewKeyModal({ onClose }: { onClose: () => void }) {
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('marketing');
  const { mutation: create, errors, setErrors, topError } = useFormMutation({
    mutationFn: () => createApiKey({ name, role }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.apiKeys }),
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!name.trim()) return setErrors({ name: 'Give the key a name, e.g. "CRM sync"' });
    setErrors({});
    create.mutate();
  }
  if (create.data) {
    return (
      <SecretOnceDialog title="API key created" what="key" secret={create.data.key} id="new-api-key" copyButton={<CopyButton text={create.data.key} />} onClose={onClose}>
        <p className="muted small" style={{ marginTop: 12 }}>
          Send it as <code>Authorization: Bearer &lt;key&gt;</code>. It acts with the <strong>{create.data.apiKey.role}</strong> role.
        </p>
      </SecretOnceDialog>
    );
  }
  return (
    <FormDialog title="Create an API key" formId="new-key" formLabel="Create an API key" onClose={onClose} onSubmit={submit} error={topError} pending={create.isPending} submitLabel="Create key" pendingLabel="Creating…">
      <TextField label="Name" name="name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} hint="What uses this key, e.g. “CRM sync” or “Website forms”." autoFocus />
      <SelectField label="Role" value={role} onChange={(e) => setRole(e.target.value as Role)} error={errors.role} hint={ROLES[role]}>
        <RoleOptions />
      </SelectField>
    </FormDialog>
  );
}

export function ApiKeysPage() {
  const qc = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const list = useQuery({ queryKey: keys.apiKeys, queryFn: listApiKeys });
  return (
    <>
      <div className="page-header">
        <div>
          <h1>API keys</h1>
          <p className="subtitle">
            Keys for the REST API and the CLI. See the <a href="/api/docs" target="_blank" rel="noreferrer">API reference</a>.
          </p>
        </div>
        <button className="btn btn-primary" onClick={() => setCreating(true)}>
          <IconPlus /> Create API key
        </button>
      </div>
      <div className="card">
        <ListStates
          query={list}
          loading="Loading API keys…"
          errorTitle="Could not load API keys"
          empty={
            <Empty title="No API keys yet" icon={<IconKey />} actions={<button className="btn btn-primary" onClick={() => setCreating(true)}>Create API key</button>}>
              Create a key to script revloop from the REST API or to sync contacts from your CRM. Each key acts with one role.
            </Empty>
          }
        >
          {(data) => (
            <div className="table-wrap">
              <table className="table" data-testid="api-keys-table">
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Key</th>
                    <th>Role</th>
                    <th>Created by</th>
                    <th>Created</th>
                    <th>Last used</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((k) => (
                    <tr key={k.id} style={{ opacity: k.revokedAt ? 0.6 : 1 }}>
                      <td className="primary">{k.name}</td>
                      <td>
                        <code>{k.prefix}…</code>
                      </td>
                      <td style={{ textTransform: 'capitalize' }}>{k.role}</td>
                      <td>{k.createdBy ?? <span className="muted">—</span>}</td>
                      <td className="muted nowrap">{formatDate(k.createdAt)}</td>
                      <td className="muted nowrap">{formatRelative(k.lastUsedAt)}</td>
                      <RevokeCell name={k.name} revokedAt={k.revokedAt} onRevoke={() => setRevoking(k)} />
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </ListStates>
      </div>
      {creating && <NewKeyModal onClose={() => setCreating(false)} />}
      {revoking && (
        <ConfirmDialog
          title={`Revoke “${revoking.name}”?`}
          confirmLabel="Revoke key"
          onClose={() => setRevoking(null)}
          onConfirm={async () => {
            await revokeApiKey(revoking.id);
            await qc.invalidateQueries({ queryKey: keys.apiKeys });
          }}
        >
          Anything using this key stops working immediately. This cannot be undone.
        </ConfirmDialog>
      )}
    </>
  );
}
