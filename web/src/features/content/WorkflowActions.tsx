// The workflow buttons of an item page: the next step, publish now (from review; from draft only with
// content:publish — skipping review), one step back, retire / bring back. The server checks every move again.
import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CONTENT_STATUS_LABELS, transitionContentItem, WORKFLOW_STEPS, type ContentItem, type ContentStatus } from '../../api/content.ts';
import { ErrorAlert } from '../../components/States.tsx';
import { useCan } from '../identity/auth.tsx';

export function WorkflowActions({ item }: { item: ContentItem }) {
  const qc = useQueryClient();
  const canPublish = useCan('content:publish');
  const [note, setNote] = useState('');
  const move = useMutation({
    mutationFn: (to: ContentStatus) => transitionContentItem(item.id, to, note.trim() || undefined),
    onSuccess: () => {
      setNote('');
      qc.invalidateQueries({ queryKey: ['content-item', item.id] });
      qc.invalidateQueries({ queryKey: ['content-items'] });
      qc.invalidateQueries({ queryKey: ['content-calendar'] });
    },
  });
  const i = (WORKFLOW_STEPS as readonly string[]).indexOf(item.status);
  const next = i >= 0 && i < WORKFLOW_STEPS.length - 1 ? WORKFLOW_STEPS[i + 1]! : null;
  const prev = i > 0 ? WORKFLOW_STEPS[i - 1]! : null;
  const btn = (to: ContentStatus, label: string, primary = false, title?: string) => (
    <button key={label} className={`btn btn-sm${primary ? ' btn-primary' : ''}`} disabled={move.isPending} onClick={() => move.mutate(to)} title={title} data-testid={`move-${to}`}>
      {label}
    </button>
  );
  return (
    <div className="workflow-actions" data-testid="workflow-actions">
      <ol className="workflow-steps" aria-label="Workflow">
        {WORKFLOW_STEPS.map((s, k) => (
          <li key={s} className={s === item.status ? 'current' : k < i ? 'done' : ''}>
            {CONTENT_STATUS_LABELS[s]}
          </li>
        ))}
      </ol>
      <ErrorAlert error={move.error} />
      <div className="actions">
        {item.status === 'retired' ? (
          btn('idea', 'Bring back as an idea', true)
        ) : (
          <>
            {next && btn(next, `Move to ${CONTENT_STATUS_LABELS[next].toLowerCase()}`, true, next === 'scheduled' && !item.publishDate ? 'Set a publish date first' : undefined)}
            {item.status === 'review' && btn('published', 'Publish now')}
            {item.status === 'draft' && canPublish && btn('published', 'Publish now (skip review)', false, 'Admins may skip review; recorded in the history')}
            {prev && btn(prev, `Back to ${CONTENT_STATUS_LABELS[prev].toLowerCase()}`)}
            {btn('retired', 'Retire')}
          </>
        )}
        <input className="input input-sm" placeholder="Note (optional)" aria-label="Note for this move" value={note} onChange={(e) => setNote(e.target.value)} />
      </div>
    </div>
  );
}
