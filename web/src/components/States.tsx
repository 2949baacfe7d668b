// Loading, empty and error states used by every page.
import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { Link } from 'react-router';
import { errorMessage } from '../api/client.ts';
import { IconAlert, IconList } from './icons.tsx';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state" role="status" aria-live="polite">
      <div className="spinner" />
      <p>{label}</p>
    </div>
  );
}

export function Empty({ title, children, actions, icon }: { title: string; children?: ReactNode; actions?: ReactNode; icon?: ReactNode }) {
  return (
    <div className="state" data-testid="empty-state">
      <div className="state-icon">{icon ?? <IconList />}</div>
      <h3>{title}</h3>
      {children && <p>{children}</p>}
      {actions && <div className="actions">{actions}</div>}
    </div>
  );
}

/** A detail page whose record does not exist: says so in a card, with a link back to the list. */
export function NotFoundCard({ title, backTo, backLabel, children }: { title: string; backTo: string; backLabel: string; children: ReactNode }) {
  return (
    <div className="card">
      <Empty title={title} actions={<Link className="btn" to={backTo}>{backLabel}</Link>}>
        {children}
      </Empty>
    </div>
  );
}

export function ErrorState({ error, retry, title = 'Could not load this' }: { error: unknown; retry?: () => void; title?: string }) {
  return (
    <div className="state state-error" role="alert">
      <div className="state-icon">
        <IconAlert />
      </div>
      <h3>{title}</h3>
      <p>{errorMessage(error)}</p>
      {retry && (
        <div className="actions">
          <button className="btn" onClick={retry}>
            Try again
          </button>
        </div>
      )}
    </div>
  );
}

/** A list query's states: loading, error with retry, `empty` when it has no items, else `children(data)`. */
export function ListStates<D extends { items: readonly unknown[] }>({
  query,
  loading,
  errorTitle,
  empty,
  children,
}: {
  query: UseQueryResult<D>;
  loading?: string;
  errorTitle?: string;
  empty: ReactNode;
  children: (data: D) => ReactNode;
}) {
  if (query.isPending) return <Loading label={loading} />;
  if (query.isError) return <ErrorState error={query.error} retry={() => query.refetch()} title={errorTitle} />;
  if (query.data.items.length === 0) return <>{empty}</>;
  return <>{children(query.data)}</>;
}

export function ErrorAlert({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <div className="alert alert-error" role="alert">
      {errorMessage(error)}
    </div>
  );
}
