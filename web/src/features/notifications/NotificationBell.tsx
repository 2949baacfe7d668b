// The bell in the top bar: unread count, the latest notifications (new leads routed to me, SLA breaches),
// click one to open it (marks it read), or mark all read.
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { handoffKeys, listNotifications, markAllNotificationsRead, markNotificationRead, type Notification } from '../../api/handoff.ts';
import { formatRelative } from '../../components/format.ts';
import './notifications.css';

const IconBell = () => (
  <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
    <path d="M6 16.5V11a6 6 0 0 1 12 0v5.5l1.5 2h-15z" />
    <path d="M10 20.5a2 2 0 0 0 4 0" />
  </svg>
);

export function NotificationBell() {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const qc = useQueryClient();
  const navigate = useNavigate();
  const q = useQuery({ queryKey: handoffKeys.notifications, queryFn: () => listNotifications(15), refetchInterval: 30_000 });
  const refresh = () => qc.invalidateQueries({ queryKey: handoffKeys.notifications });
  const readOne = useMutation({ mutationFn: (id: number) => markNotificationRead(id), onSettled: refresh });
  const readAll = useMutation({ mutationFn: markAllNotificationsRead, onSettled: refresh });
  useEffect(() => {
    const onDoc = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDoc);
    return () => document.removeEventListener('mousedown', onDoc);
  }, []);
  const unread = q.data?.unread ?? 0;
  function openItem(n: Notification) {
    if (!n.readAt) readOne.mutate(n.id);
    setOpen(false);
    if (n.link) navigate(n.link);
  }
  return (
    <div className="bell" ref={ref}>
      <button
        className="bell-button"
        onClick={() => setOpen((o) => !o)}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={unread ? `Notifications, ${unread} unread` : 'Notifications'}
        data-testid="notification-bell"
      >
        <IconBell />
        {unread > 0 && (
          <span className="bell-count" data-testid="notification-count">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      {open && (
        <div className="menu bell-menu" role="menu">
          <div className="bell-head">
            <strong>Notifications</strong>
            {unread > 0 && (
              <button className="link-button small" onClick={() => readAll.mutate()}>
                Mark all read
              </button>
            )}
          </div>
          {q.isError && <div className="bell-empty">Could not load notifications.</div>}
          {q.data && q.data.items.length === 0 && <div className="bell-empty">Nothing yet. New leads routed to you and SLA breaches show up here.</div>}
          {q.data?.items.map((n) => (
            <button key={n.id} role="menuitem" className={`bell-item${n.readAt ? '' : ' unread'}`} onClick={() => openItem(n)}>
              <span className={`bell-dot kind-${n.kind.replace(/\./g, '-')}`} />
              <span className="bell-text">
                <span className="bell-title">{n.title}</span>
                {n.body && <span className="bell-body">{n.body}</span>}
                <span className="bell-time">{formatRelative(n.createdAt)}</span>
              </span>
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
