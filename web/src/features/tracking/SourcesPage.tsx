// Tracking → Sources: list write keys with last-hour volume, create (key shown once with the install snippet), revoke.
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { createSource, getSourceStats, keys, listSources, revokeSource, type Source } from '../../api/tracking.ts';
import { TextField } from '../../components/Field.tsx';
import { formatDate, formatNumber } from '../../components/format.ts';
import { IconKey, IconPlus } from '../../components/icons.tsx';
import { ConfirmDialog } from '../../components/Modal.tsx';
import { RevokeCell } from '../../components/RevokeCell.tsx';
import { SecretOnceDialog } from '../../components/SecretOnceDialog.tsx';
import { Empty, ListStates } from '../../components/States.tsx';
import { FormDialog, useFormMutation } from '../../components/FormDialog.tsx';
import { useCan } from '../identity/auth.tsx';
import { CopyButton, InstallSnippet } from './shared.tsx';

function NewSourceModal({ onClose }: { onClose: () => void }) {
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const { mutation: create, errors, setErrors, topError } = useFormMutation({
    mutationFn: () => createSource(name),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.sources }),
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!name.trim()) return setErrors({ name: 'Give the source a name, e.g. "Website"' });
    setErrors({});
    create.mutate();
  }
  if (create.data) {
    const { writeKey, source } = create.data;
    return (
      <SecretOnceDialog title={`Source “${source.name}” created`} what="write key" secret={writeKey} id="new-write-key" copyButton={<CopyButton text={writeKey} />} onClose={onClose} wide>
        <h3 style={{ margin: '20px 0 8px', fontSize: 14 }}>Install</h3>
        <InstallSnippet writeKey={writeKey} />
      </SecretOnceDialog>
    );
  }
  return (
    <FormDialog title="New source" formId="new-source" formLabel="New source" onClose={onClose} onSubmit={submit} error={topError} pending={create.isPending} submitLabel="Create source" pendingLabel="Creating…">
      <TextField
        label="Name"
        name="name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={errors.name}
        hint="Where the events come from, e.g. “Website”, “App backend”. You get a write key for it."
        autoFocus
        maxLength={200}
      />
    </FormDialog>
  );
}

export function SourcesPage() {
  const qc = useQueryClient();
  const canManage = useCan('sources:manage');
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<Source | null>(null);
  const list = useQuery({ queryKey: keys.sources, queryFn: listSources });
  const items = list.data?.items ?? [];
  const stats = useQueries({
    queries: items.map((s) => ({ queryKey: keys.stats(s.id), queryFn: () => getSourceStats(s.id), refetchInterval: 30_000 })),
  });
  const newButton = canManage && (
    <button className="btn btn-primary" onClick={() => setCreating(true)}>
      <IconPlus /> New source
    </button>
  );
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Sources</h1>
          <p className="subtitle">
            Each source has a write key for the Segment-compatible tracking API. Watch events arrive in <Link to="/tracking/live">Live events</Link>.
          </p>
        </div>
        {newButton}
      </div>
      <div className="card">
        <ListStates
          query={list}
          loading="Loading sources…"
          errorTitle="Could not load sources"
          empty={
            <Empty title="No sources yet" icon={<IconKey />} actions={newButton}>
              {canManage
                ? 'Create a source to get a write key, then add the script tag to your website or point a Segment library at revloop.'
                : 'Ask an admin or marketer to create a source: it gives the write key your website and apps send events with.'}
            </Empty>
          }
        >
          {() => (
            <div className="table-wrap">
              <table className="table" data-testid="sources-table">
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Write key</th>
                    <th style={{ textAlign: 'right' }}>Events, last hour</th>
                    <th>Created by</th>
                    <th>Created</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {items.map((s, i) => {
                    const st = stats[i];
                    return (
                      <tr key={s.id} style={{ opacity: s.revokedAt ? 0.6 : 1 }}>
                        <td className="primary">
                          <Link to={`/tracking/sources/${s.id}`}>{s.name}</Link>
                        </td>
                        <td>
                          <code>{s.writeKeyPrefix}…</code>
                        </td>
                        <td style={{ textAlign: 'right', fontVariantNumeric: 'tabular-nums' }}>
                          {st?.data ? formatNumber(st.data.lastHour.events) : st?.isError ? <span className="muted">—</span> : <span className="muted">…</span>}
                        </td>
                        <td>{s.createdBy ?? <span className="muted">—</span>}</td>
                        <td className="muted nowrap">{formatDate(s.createdAt)}</td>
                        <RevokeCell name={s.name} revokedAt={s.revokedAt} onRevoke={canManage ? () => setRevoking(s) : undefined} />
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </ListStates>
      </div>
      {creating && <NewSourceModal onClose={() => setCreating(false)} />}
      {revoking && (
        <ConfirmDialog
          title={`Revoke “${revoking.name}”?`}
          confirmLabel="Revoke write key"
          onClose={() => setRevoking(null)}
          onConfirm={async () => {
            await revokeSource(revoking.id);
            await qc.invalidateQueries({ queryKey: keys.sources });
          }}
        >
          Websites and apps sending with this write key are refused from now on (within a few seconds on every server). Events already received are kept. This
          cannot be undone.
        </ConfirmDialog>
      )}
    </>
  );
}
