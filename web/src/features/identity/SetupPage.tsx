// First run: create the first admin with the one-time setup token, or paste the setup link.
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError, type FieldErrors } from '../../api/client.ts';
import { completeSetup, keys } from '../../api/identity.ts';
import { Brand } from '../../components/Layout.tsx';
import { TextField } from '../../components/Field.tsx';

/** Accepts a full setup link (…/setup?token=X) or the bare token. */
export function tokenFromInput(value: string): string | null {
  const v = value.trim();
  if (!v) return null;
  try {
    const url = new URL(v, typeof window === 'undefined' ? 'http://localhost' : window.location.origin);
    const t = url.searchParams.get('token');
    if (t) return t;
  } catch {
    // not a URL
  }
  if (/^[A-Za-z0-9_-]{8,200}$/.test(v)) return v;
  return null;
}

/** Shown on every page while no admin exists and the user did not open the setup link. */
export function FinishSetupScreen() {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | undefined>();
  const navigate = useNavigate();
  return (
    <div className="auth-page">
      <div className="auth-card wide" data-testid="finish-setup">
        <Brand />
        <h1>Finish setting up revloop</h1>
        <p className="lead">
          Open the setup link printed in the terminal where you ran <code>npm start</code>. It looks like{' '}
          <code>http://localhost:4000/setup?token=…</code> and works once, to create the first admin account.
        </p>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const token = tokenFromInput(value);
            if (!token) return setError('Paste the whole setup link, or the token after "token="');
            navigate(`/setup?token=${encodeURIComponent(token)}`);
          }}
        >
          <TextField label="Setup link or token" name="setup-link" value={value} onChange={(e) => setValue(e.target.value)} error={error} placeholder="http://localhost:4000/setup?token=…" autoFocus />
          <button className="btn btn-primary" type="submit">
            Continue
          </button>
        </form>
        <p className="auth-foot">Lost the link? Restart revloop: it prints a new one until the first admin exists.</p>
      </div>
    </div>
  );
}

export function SetupPage({ needsSetup }: { needsSetup: boolean }) {
  const [params] = useSearchParams();
  const token = params.get('token');
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [form, setForm] = useState({ name: '', email: '', password: '', confirm: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (!needsSetup) {
    return (
      <div className="auth-page">
        <div className="auth-card">
          <Brand />
          <h1>revloop is already set up</h1>
          <p className="lead">An admin account exists. Sign in, or ask an admin to create an account for you.</p>
          <button className="btn btn-primary" onClick={() => navigate('/login')}>
            Go to sign in
          </button>
        </div>
      </div>
    );
  }
  if (!token) return <FinishSetupScreen />;

  const set = (k: keyof typeof form) => (e: ChangeEvent<HTMLInputElement>) => setForm((f) => ({ ...f, [k]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs: FieldErrors = {};
    if (!form.name.trim()) errs.name = 'Enter your name';
    if (!form.email.trim()) errs.email = 'Enter your email';
    if (form.password.length < 12) errs.password = 'Must be at least 12 characters';
    if (form.confirm !== form.password) errs.confirm = 'The passwords do not match';
    setErrors(errs);
    setFormError(null);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      await completeSetup({ token: token!, name: form.name, email: form.email, password: form.password });
      qc.setQueryData(keys.setup, { needsSetup: false });
      await qc.invalidateQueries({ queryKey: keys.me });
      navigate('/contacts', { replace: true });
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError) {
        setErrors(err.fieldErrors);
        setFormError(Object.keys(err.fieldErrors).length ? null : err.message);
      } else setFormError('Could not reach the server');
    }
  }

  return (
    <div className="auth-page">
      <div className="auth-card">
        <Brand />
        <h1>Create the admin account</h1>
        <p className="lead">Welcome to revloop. This first account can add users, API keys and settings.</p>
        {formError && (
          <div className="alert alert-error" role="alert">
            {formError}
          </div>
        )}
        <form onSubmit={submit} noValidate aria-label="Create admin account">
          <TextField label="Your name" name="name" autoComplete="name" value={form.name} onChange={set('name')} error={errors.name} autoFocus />
          <TextField label="Work email" name="email" type="email" autoComplete="email" value={form.email} onChange={set('email')} error={errors.email} />
          <TextField label="Password" name="password" type="password" autoComplete="new-password" value={form.password} onChange={set('password')} error={errors.password} hint="At least 12 characters" />
          <TextField label="Confirm password" name="confirm" type="password" autoComplete="new-password" value={form.confirm} onChange={set('confirm')} error={errors.confirm} />
          <button className="btn btn-primary" type="submit" disabled={busy}>
            {busy ? 'Creating account…' : 'Create admin account'}
          </button>
        </form>
      </div>
    </div>
  );
}
