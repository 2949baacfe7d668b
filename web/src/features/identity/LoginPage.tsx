// Sign-in: email + password, errors inline (incl. lockout), then back to where the user was going.
import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError, type FieldErrors } from '../../api/client.ts';
import { keys, login } from '../../api/identity.ts';
import type { Me } from '../../api/types.ts';
import { Brand } from '../../components/Layout.tsx';
import { TextField } from '../../components/Field.tsx';

/**
 * Only same-app paths are followed after sign-in: resolved the way the browser will (a backslash is a slash,
 * tabs and newlines are dropped), the result must stay on our origin.
 */
export function safeNext(next: string | null): string {
  const home = '/contacts';
  if (!next || !next.startsWith('/') || /[\\\u0000-\u001f\u007f]/.test(next)) return home;
  let u: URL;
  try {
    u = new URL(next, 'http://revloop.invalid');
  } catch {
    return home;
  }
  if (u.origin !== 'http://revloop.invalid' || u.pathname.startsWith('/login') || u.pathname.startsWith('/setup')) return home;
  return u.pathname + u.search + u.hash;
}

export function LoginPage({ me }: { me: Me | null }) {
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (me) return <Navigate to={next} replace />;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const errs: FieldErrors = {};
    if (!email.trim()) errs.email = 'Enter your email';
    if (!password) errs.password = 'Enter your password';
    setErrors(errs);
    setFormError(null);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      await login({ email, password });
      await qc.invalidateQueries({ queryKey: keys.me });
      navigate(next, { replace: true });
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError) {
        const fe = err.fieldErrors;
        setErrors(fe);
        if (err.status === 429) setFormError(err.message || 'Too many sign-in attempts; wait a few minutes and try again.');
        else setFormError(Object.keys(fe).length ? null : err.message);
      } else setFormError('Could not reach the server');
    }
  }

  return (
    <div className="auth-page">
      <div className="auth-card">
        <Brand />
        <h1>Sign in</h1>
        <p className="lead">Welcome back. Sign in to your revloop workspace.</p>
        {formError && (
          <div className="alert alert-error" role="alert" data-testid="login-error">
            {formError}
          </div>
        )}
        <form onSubmit={submit} noValidate aria-label="Sign in">
          <TextField label="Email" name="email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} error={errors.email} autoFocus />
          <TextField label="Password" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} error={errors.password} />
          <button className="btn btn-primary" type="submit" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <p className="auth-foot">No account? Ask a revloop admin to create one for you.</p>
      </div>
    </div>
  );
}
