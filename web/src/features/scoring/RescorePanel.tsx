// Full rescore: a button (scoring:manage) that rebuilds every contact's scores after a model change, and the
// progress of the latest run (polled every second while it runs). Mounted on Settings → Scoring.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { RescoreRun } from '../../../../src/contracts/rescore.ts';
import { get, post } from '../../api/client.ts';
import { Badge } from '../../components/Badge.tsx';
import { formatDateTime, formatNumber } from '../../components/format.ts';
import { ErrorAlert } from '../../components/States.tsx';
import { useCan } from '../identity/auth.tsx';

export const rescoreKeys = { runs: ['scoring', 'rescore'] as const };
const listRuns = () => get<{ items: RescoreRun[] }>('/scoring/rescore');
const startRun = (modelId: number | null) => post<RescoreRun>('/scoring/rescore', modelId == null ? {} : { modelId });

const TONE = { queued: 'gray', running: 'blue', completed: 'green', failed: 'red' } as const;
const active = (r: RescoreRun | undefined) => r?.status === 'queued' || r?.status === 'running';

function duration(r: RescoreRun): string | null {
  if (!r.startedAt) return null;
  const ms = new Date(r.finishedAt ?? Date.now()).getTime() - new Date(r.startedAt).getTime();
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** `modelId`: rescore this model only (e.g. from its editor); omitted: every active model. */
export function RescorePanel({ modelId = null, modelName }: { modelId?: number | null; modelName?: string }) {
  const qc = useQueryClient();
  const canManage = useCan('scoring:manage');
  const runs = useQuery({ queryKey: rescoreKeys.runs, queryFn: listRuns, refetchInterval: (q) => (active(q.state.data?.items[0]) ? 1000 : false) });
  const start = useMutation({ mutationFn: () => startRun(modelId), onSuccess: () => qc.invalidateQueries({ queryKey: rescoreKeys.runs }) });
  const latest = runs.data?.items[0];
  const pct = latest?.total ? Math.min(100, Math.round((100 * latest.processed) / latest.total)) : latest?.status === 'completed' ? 100 : 0;
  const running = active(latest);

  return (
    <div className="card" style={{ marginBottom: 16 }} data-testid="rescore-panel">
      <div className="card-header">
        <div>
          <h2>Rescore</h2>
          <p className="muted small" style={{ margin: '2px 0 0' }}>
            New events are scored within a second. After you change a model, a rescore rebuilds {modelName ? `“${modelName}” for` : 'every score of'} every contact
            from their events and fields, in the background.
          </p>
        </div>
        {canManage && (
          <button className="btn btn-sm btn-primary" type="button" disabled={running || start.isPending} onClick={() => start.mutate()} data-testid="rescore-start">
            {running ? 'Rescoring…' : modelId != null ? 'Rescore this model' : 'Rescore all contacts'}
          </button>
        )}
      </div>
      <div className="card-body">
        <ErrorAlert error={start.error ?? runs.error} />
        {!latest ? (
          <div className="muted small">No rescore has run yet.</div>
        ) : (
          <>
            <div className="row" style={{ justifyContent: 'space-between', marginBottom: 8, gap: 12 }}>
              <div className="small">
                <Badge tone={TONE[latest.status]}>{latest.status}</Badge>{' '}
                <span data-testid="rescore-counts">
                  {formatNumber(latest.processed)} of {latest.total == null ? '…' : formatNumber(latest.total)} contacts
                </span>
                <span className="muted">
                  {' '}
                  · started {formatDateTime(latest.createdAt)}
                  {duration(latest) ? ` · ${duration(latest)}` : ''}
                </span>
              </div>
              <div style={{ fontWeight: 700 }} data-testid="rescore-percent">
                {pct}%
              </div>
            </div>
            <div className="progress" role="progressbar" aria-label="Rescore progress" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100}>
              <div style={{ width: `${pct}%` }} />
            </div>
            {latest.error && <div className="alert alert-error" style={{ marginTop: 8 }}>{latest.error}</div>}
          </>
        )}
      </div>
    </div>
  );
}
