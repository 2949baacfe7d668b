// The editorial calendar: a month or week grid of planned and published items (publish dates) and due dates of the
// next workflow step; drag an item to another day to reschedule it (PATCH /content/items/:id/schedule). Overdue
// items are red. A day's + plans a new item for that day.
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CONTENT_STAGE_LABELS, CONTENT_STATUS_LABELS, contentKeys, getCalendar, rescheduleContentItem, type CalendarEntryT } from '../../api/content.ts';
import { ErrorAlert, ErrorState, Loading } from '../../components/States.tsx';
import { useUrlFilters } from '../../components/ListFilters.tsx';
import { useCan } from '../identity/auth.tsx';
import { ContentItemForm } from './ContentItemForm.tsx';
import './content.css';

const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
const parse = (d: string) => Date.parse(`${d}T00:00:00Z`);
const mondayOf = (t: number) => t - ((new Date(t).getUTCDay() + 6) % 7) * DAY;

export function calendarRange(view: 'month' | 'week', anchor: string): { from: string; to: string; days: string[]; month: number } {
  const a = parse(anchor);
  const d = new Date(a);
  const start = view === 'week' ? mondayOf(a) : mondayOf(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
  const n = view === 'week' ? 7 : 42;
  const days = Array.from({ length: n }, (_, i) => iso(start + i * DAY));
  return { from: days[0]!, to: days[n - 1]!, days, month: d.getUTCMonth() };
}

function shift(view: 'month' | 'week', anchor: string, dir: number): string {
  const d = new Date(parse(anchor));
  if (view === 'week') return iso(parse(anchor) + dir * 7 * DAY);
  return iso(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + dir, 1));
}

export function CalendarPage() {
  const { filters, update } = useUrlFilters();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const canWrite = useCan('content:write');
  const view = filters.view === 'week' ? 'week' : 'month';
  const today = iso(Date.now());
  const anchor = filters.date && /^\d{4}-\d{2}-\d{2}$/.test(filters.date) ? filters.date : today;
  const range = calendarRange(view, anchor);
  const [dragOver, setDragOver] = useState<string | null>(null);
  const [planning, setPlanning] = useState<string | null>(null);
  const cal = useQuery({ queryKey: contentKeys.calendar(range.from, range.to), queryFn: () => getCalendar(range.from, range.to) });
  const move = useMutation({
    mutationFn: (v: { itemId: number; date: string; kind: 'publish' | 'due' }) => rescheduleContentItem(v.itemId, v.date, v.kind),
    onSuccess: (_i, v) => {
      qc.invalidateQueries({ queryKey: ['content-calendar'] });
      qc.invalidateQueries({ queryKey: ['content-item', v.itemId] });
      qc.invalidateQueries({ queryKey: ['content-items'] });
    },
  });
  const byDay = new Map<string, CalendarEntryT[]>();
  for (const e of cal.data?.entries ?? []) byDay.set(e.date, [...(byDay.get(e.date) ?? []), e]);
  const title =
    view === 'month'
      ? new Date(parse(anchor)).toLocaleDateString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' })
      : `Week of ${new Date(parse(range.from)).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' })}`;
  const movable = (e: CalendarEntryT) => canWrite && !(e.kind === 'publish' && (e.status === 'published' || e.status === 'audited'));

  return (
    <>
      <div className="page-header">
        <div>
          <h1>Editorial calendar</h1>
          <p className="subtitle">Planned and published content. {canWrite ? 'Drag an item to another day to reschedule it.' : ''}</p>
        </div>
        <div className="actions">
          <div className="segmented" role="group" aria-label="View">
            <button className={`btn btn-sm${view === 'month' ? ' active' : ''}`} onClick={() => update({ view: undefined })}>
              Month
            </button>
            <button className={`btn btn-sm${view === 'week' ? ' active' : ''}`} onClick={() => update({ view: 'week' })}>
              Week
            </button>
          </div>
          <button className="btn btn-sm" aria-label="Previous" onClick={() => update({ date: shift(view, anchor, -1) })}>
            ‹
          </button>
          <button className="btn btn-sm" onClick={() => update({ date: undefined })}>
            Today
          </button>
          <button className="btn btn-sm" aria-label="Next" onClick={() => update({ date: shift(view, anchor, 1) })}>
            ›
          </button>
          <Link className="btn" to="/content">
            All items
          </Link>
        </div>
      </div>
      <ErrorAlert error={move.error} />
      <div className="card">
        <div className="card-header">
          <h2 data-testid="calendar-title">{title}</h2>
          <span className="muted small">
            <span className="legend publish" /> publish date <span className="legend due" /> step due <span className="legend overdue" /> overdue
          </span>
        </div>
        {cal.isPending ? (
          <Loading label="Loading the calendar…" />
        ) : cal.isError ? (
          <ErrorState error={cal.error} retry={() => cal.refetch()} title="Could not load the calendar" />
        ) : (
          <>
            {cal.data.entries.length === 0 && (
              <div className="calendar-empty muted small" data-testid="calendar-empty">
                Nothing planned in this {view}. {canWrite ? 'Click + on a day to plan an item, or give existing items a publish date.' : ''}
              </div>
            )}
            <div className={`calendar calendar-${view}`} data-testid="calendar">
              {['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].map((w) => (
                <div key={w} className="calendar-weekday">
                  {w}
                </div>
              ))}
              {range.days.map((d) => (
                <div
                  key={d}
                  className={`calendar-day${d === today ? ' today' : ''}${view === 'month' && new Date(parse(d)).getUTCMonth() !== range.month ? ' outside' : ''}${dragOver === d ? ' drop' : ''}`}
                  data-date={d}
                  data-testid={`day-${d}`}
                  onDragOver={(e) => {
                    if (!canWrite) return;
                    e.preventDefault();
                    setDragOver(d);
                  }}
                  onDragLeave={() => setDragOver((x) => (x === d ? null : x))}
                  onDrop={(e) => {
                    e.preventDefault();
                    setDragOver(null);
                    const raw = e.dataTransfer.getData('text/plain');
                    const [id, kind] = raw.split(':');
                    if (id && (kind === 'publish' || kind === 'due')) move.mutate({ itemId: Number(id), date: d, kind });
                  }}
                >
                  <div className="calendar-date">
                    <span>{Number(d.slice(8))}</span>
                    {canWrite && (
                      <button className="calendar-add" title="Plan an item for this day" aria-label={`Plan an item for ${d}`} onClick={() => setPlanning(d)}>
                        +
                      </button>
                    )}
                  </div>
                  {(byDay.get(d) ?? []).map((e) => (
                    <div
                      key={`${e.itemId}-${e.kind}`}
                      className={`calendar-entry ${e.kind}${e.overdue ? ' overdue' : ''}${e.status === 'published' || e.status === 'audited' ? ' live' : ''}`}
                      draggable={movable(e)}
                      onDragStart={(ev) => {
                        ev.dataTransfer.setData('text/plain', `${e.itemId}:${e.kind}`);
                        ev.dataTransfer.effectAllowed = 'move';
                      }}
                      title={`${e.title} — ${CONTENT_STAGE_LABELS[e.stage]}, ${CONTENT_STATUS_LABELS[e.status]}${e.kind === 'due' ? ' (next step due)' : ''}${e.owner ? ` — ${e.owner}` : ''}`}
                      data-testid={`entry-${e.itemId}-${e.kind}`}
                    >
                      <Link to={`/content/${e.itemId}`} draggable={false}>
                        {e.kind === 'due' ? 'Due: ' : ''}
                        {e.title}
                      </Link>
                      <span className="calendar-status">{CONTENT_STATUS_LABELS[e.status]}</span>
                    </div>
                  ))}
                </div>
              ))}
            </div>
          </>
        )}
      </div>
      {planning && <ContentItemForm preset={{ publishDate: planning }} onClose={() => setPlanning(null)} onSaved={(i) => navigate(`/content/${i.id}`)} />}
    </>
  );
}
