// Settings → Users: list, create (role + initial password), change role, disable/enable.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { errorMessage, type FieldErrors } from '../../api/client.ts';
import { createUser, keys, listUsers, updateUser } from '../../api/identity.ts';
import type { Role, User } from '../../api/types.ts';
import { Badge } from '../../components/Badge.tsx';
import { SelectField, TextField } from '../../components/Field.tsx';
import { formatRelative, initials } from '../../components/format.ts';
import { IconPlus, IconUsers } from '../../components/icons.tsx';
import { ConfirmDialog, Modal } from '../../components/Modal.tsx';
import { Empty, ListStates } from '../../components/States.tsx';
import { FormDialog, useFormMutation } from '../../components/FormDialog.tsx';
import { useMe } from '../identity/auth.tsx';
import { ROLES, RoleOptions } from './roles.tsx';

function NewUserModal({ onClose }: { onClose: () => void }) {
  const qc = useQueryClient();
  const [form, setForm] = useState({ name: '', email: '', role: 'marketing' as Role, password: '' });
  const { mutation: create, errors, setErrors, topError } = useFormMutation({
    mutationFn: () => createUser(form),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: keys.users });
      qc.invalidateQueries({ queryKey: keys.owners });
      onClose();
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    const errs: FieldErrors = {};
    if (!form.name.trim()) errs.name = 'Enter a name';
    if (!form.email.trim()) errs.email = 'Enter an email';
    if (form.password.length < 12) errs.password = 'Must be at least 12 characters';
    setErrors(errs);
    if (!Object.keys(errs).length) create.mutate();
  }
  return (
    <FormDialog title="Add a user" formId="new-user" formLabel="Add a user" onClose={onClose} onSubmit={submit} error={topError} pending={create.isPending} submitLabel="Add user" pendingLabel="Adding…">
      <TextField label="Name" name="name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} error={errors.name} autoFocus />
      <TextField label="Email" name="email" type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} error={errors.email} />
      <SelectField label="Role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })} error={errors.role} hint={ROLES[form.role]}>
        <RoleOptions />
      </SelectField>
      <TextField
        label="Initial password"
        name="password"
        type="password"
        autoComplete="new-password"
        value={form.password}
        onChange={(e) => setForm({ ...form, password: e.target.value })}
        error={errors.password}
        hint="At least 12 characters. Share it with them securely."
      />
    </FormDialog>
  );
}

function SetPasswordModal({ user, onClose }: { user: User; onClose: () => void }) {
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const { mutation: save, errors, setErrors, topError } = useFormMutation({
    mutationFn: () => updateUser(user.id, { password }),
    onSuccess: () => setDone(true),
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    if (password.length < 12) return setErrors({ password: 'Must be at least 12 characters' });
    setErrors({});
    save.mutate();
  }
  if (done) {
    return (
      <Modal title="Password changed" onClose={onClose} footer={<button className="btn btn-primary" onClick={onClose}>Done</button>}>
        <div className="alert alert-success" role="status" style={{ marginBottom: 0 }}>
          {user.name} can now sign in with the new password. Share it with them securely.
        </div>
      </Modal>
    );
  }
  return (
    <FormDialog title={`Set a password for ${user.name}`} formId="set-password" formLabel="Set password" onClose={onClose} onSubmit={submit} error={topError} pending={save.isPending} submitLabel="Set password" pendingLabel="Saving…">
      <TextField
        label="New password"
        name="password"
        type="password"
        autoComplete="new-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={errors.password}
        hint="At least 12 characters."
        autoFocus
      />
    </FormDialog>
  );
}

function UserRow({ u, isMe }: { u: User; isMe: boolean }) {
  const qc = useQueryClient();
  const [settingPassword, setSettingPassword] = useState(false);
  const [confirmDisable, setConfirmDisable] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const change = useMutation({
    mutationFn: (input: { role?: Role; disabled?: boolean }) => updateUser(u.id, input),
    onSuccess: () => {
      setError(null);
      qc.invalidateQueries({ queryKey: keys.users });
      qc.invalidateQueries({ queryKey: keys.owners });
    },
    onError: setError,
  });
  return (
    <tr>
      <td>
        <div className="row">
          <span className="avatar">{initials(u.name)}</span>
          <div>
            <div className="primary">
              {u.name} {isMe && <span className="muted small">(you)</span>}
            </div>
            <div className="sub">{u.email}</div>
          </div>
        </div>
      </td>
      <td>
        <select className="input select-inline" aria-label={`Role of ${u.email}`} value={u.role} disabled={isMe || change.isPending} onChange={(e) => change.mutate({ role: e.target.value as Role })}>
          <RoleOptions />
        </select>
        {error ? <div className="field-error">{errorMessage(error)}</div> : null}
      </td>
      <td>{u.disabled ? <Badge tone="red">Disabled</Badge> : <Badge tone="green">Active</Badge>}</td>
      <td className="muted">{u.lastLoginAt ? formatRelative(u.lastLoginAt) : 'Never'}</td>
      <td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
        <button className="btn btn-sm btn-ghost" onClick={() => setSettingPassword(true)} aria-label={`Set password for ${u.email}`}>
          Set password
        </button>{' '}
        {!isMe &&
          (u.disabled ? (
            <button className="btn btn-sm" onClick={() => change.mutate({ disabled: false })} disabled={change.isPending}>
              Enable
            </button>
          ) : (
            <button className="btn btn-sm" onClick={() => setConfirmDisable(true)} disabled={change.isPending}>
              Disable
            </button>
          ))}
        {settingPassword && <SetPasswordModal user={u} onClose={() => setSettingPassword(false)} />}
        {confirmDisable && (
          <ConfirmDialog title={`Disable ${u.name}?`} confirmLabel="Disable user" onClose={() => setConfirmDisable(false)} onConfirm={() => change.mutateAsync({ disabled: true })}>
            They are signed out and can no longer sign in. Their contacts, imports and audit history stay. You can enable them again later.
          </ConfirmDialog>
        )}
      </td>
    </tr>
  );
}

export function UsersPage() {
  const me = useMe();
  const [adding, setAdding] = useState(false);
  const users = useQuery({ queryKey: keys.users, queryFn: listUsers });
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Users</h1>
          <p className="subtitle">Who can sign in to revloop, and what their role lets them do.</p>
        </div>
        <button className="btn btn-primary" onClick={() => setAdding(true)}>
          <IconPlus /> Add user
        </button>
      </div>
      <div className="card">
        <ListStates
          query={users}
          loading="Loading users…"
          errorTitle="Could not load users"
          empty={<Empty title="No users" icon={<IconUsers />} />}
        >
          {(data) => (
            <div className="table-wrap">
              <table className="table" data-testid="users-table">
                <thead>
                  <tr>
                    <th>User</th>
                    <th>Role</th>
                    <th>Status</th>
                    <th>Last sign-in</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((u) => (
                    <UserRow key={u.id} u={u} isMe={u.id === me.user?.id} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </ListStates>
      </div>
      {users.data && users.data.items.length === 1 && (
        <p className="muted small" style={{ marginTop: 12 }}>
          You are the only user. Add your marketing and sales colleagues so contacts can have owners.
        </p>
      )}
      {adding && <NewUserModal onClose={() => setAdding(false)} />}
    </>
  );
}
