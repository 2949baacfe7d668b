// Contact detail: header, properties panel with edit mode, activity timeline, delete.
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../api/client.ts';
import { deleteContact, getContact, getTimeline, keys, updateContact } from '../../api/contacts.ts';
import type { Contact, PropertyDefinition } from '../../api/types.ts';
import { LifecycleBadge } from '../../components/Badge.tsx';
import { formatDateTime, fullName } from '../../components/format.ts';
import { IconClock } from '../../components/icons.tsx';
import { EntityHeader } from '../../components/EntityHeader.tsx';
import { ConfirmDialog } from '../../components/Modal.tsx';
import { Empty, ErrorState, Loading, NotFoundCard } from '../../components/States.tsx';
import { usePropertyDefs } from '../../components/usePropertyDefs.ts';
import { useCan } from '../identity/auth.tsx';
import { CustomPropertyRows, EditPropertiesForm, PropertiesCard } from '../../components/PropertiesPanel.tsx';
import { ContactFields, contactToForm, formToInput } from './ContactFields.tsx';
import { ContactEvents } from '../tracking/ContactEvents.tsx';
import { ContactScorePanel } from '../scoring/ContactScorePanel.tsx';
import { LifecycleCard } from '../lifecycle/LifecycleCard.tsx';
import { ContactHandoffs } from '../handoff/ContactHandoffs.tsx';
import { DealsSection } from '../deals/DealsSection.tsx';
import { ContactContentCard } from '../content/ContactContentCard.tsx';

function PropertiesView({ contact, defs }: { contact: Contact; defs: PropertyDefinition[] }) {
  return (
    <dl className="props" data-testid="contact-properties">
      <dt>Email</dt>
      <dd>{contact.email}</dd>
      <dt>First name</dt>
      <dd>{contact.firstName ?? <span className="muted">—</span>}</dd>
      <dt>Last name</dt>
      <dd>{contact.lastName ?? <span className="muted">—</span>}</dd>
      <dt>Job title</dt>
      <dd>{contact.title ?? <span className="muted">—</span>}</dd>
      <dt>Phone</dt>
      <dd>{contact.phone ?? <span className="muted">—</span>}</dd>
      <dt>Lifecycle stage</dt>
      <dd>
        <LifecycleBadge stage={contact.lifecycleStage} />
      </dd>
      <dt>Owner</dt>
      <dd>{contact.owner?.name ?? <span className="muted">Unassigned</span>}</dd>
      <dt>Account</dt>
      <dd>{contact.account ? <Link to={`/accounts/${contact.account.id}`}>{contact.account.name}</Link> : <span className="muted">—</span>}</dd>
      <dt>Source</dt>
      <dd>{contact.source ?? <span className="muted">—</span>}</dd>
      <dt>Created</dt>
      <dd>{formatDateTime(contact.createdAt)}</dd>
      <dt>Updated</dt>
      <dd>{formatDateTime(contact.updatedAt)}</dd>
      <CustomPropertyRows values={contact.properties} defs={defs} />
    </dl>
  );
}

/** Activity (audit) timeline, and the contact's tracked events for roles that may read them. */
function Timeline({ id }: { id: number }) {
  const canEvents = useCan('events:read');
  const [view, setView] = useState<'activity' | 'events'>('activity');
  return (
    <div className="card">
      <div className="card-header">
        <h2>{view === 'events' ? 'Events' : 'Activity'}</h2>
        {canEvents && (
          <div className="segmented" role="tablist" aria-label="Timeline">
            <button role="tab" aria-selected={view === 'activity'} className={view === 'activity' ? 'active' : ''} onClick={() => setView('activity')}>
              Activity
            </button>
            <button role="tab" aria-selected={view === 'events'} className={view === 'events' ? 'active' : ''} onClick={() => setView('events')}>
              Events
            </button>
          </div>
        )}
      </div>
      <div className="card-body">{view === 'events' ? <ContactEvents contactId={id} /> : <ActivityTimeline id={id} />}</div>
    </div>
  );
}

function ActivityTimeline({ id }: { id: number }) {
  const tl = useInfiniteQuery({
    queryKey: keys.timeline(id),
    queryFn: ({ pageParam }) => getTimeline(id, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const items = tl.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      {tl.isPending ? (
        <Loading label="Loading activity…" />
      ) : tl.isError ? (
        <ErrorState error={tl.error} retry={() => tl.refetch()} title="Could not load activity" />
      ) : items.length === 0 ? (
        <Empty title="No activity yet" icon={<IconClock />}>
          Changes to this contact will appear here. Page views and other tracked events are under Events.
        </Empty>
      ) : (
        <ul className="timeline" data-testid="timeline">
          {items.map((item) => (
            <li key={item.id}>
              <div className="t-title">{item.title}</div>
              <div className="t-meta">
                {formatDateTime(item.at)}
                {item.actor ? ` · ${item.actor}` : ''}
              </div>
              {item.detail && <div className="t-detail">{item.detail}</div>}
            </li>
          ))}
        </ul>
      )}
      {tl.hasNextPage && (
        <button className="btn btn-sm" onClick={() => tl.fetchNextPage()} disabled={tl.isFetchingNextPage}>
          {tl.isFetchingNextPage ? 'Loading…' : 'Show older activity'}
        </button>
      )}
    </>
  );
}

function EditForm({ contact, defs, onDone }: { contact: Contact; defs: PropertyDefinition[]; onDone: () => void }) {
  const qc = useQueryClient();
  const initial = contactToForm(contact, defs);
  return (
    <EditPropertiesForm
      label="Edit contact"
      initial={initial}
      changes={(form) => formToInput(form, defs, initial)}
      save={(input) => updateContact(contact.id, input)}
      onSaved={(c) => {
        qc.setQueryData(keys.contact(contact.id), c);
        qc.invalidateQueries({ queryKey: ['contacts'] });
        qc.invalidateQueries({ queryKey: keys.timeline(contact.id) });
      }}
      onDone={onDone}
      fields={({ form, setForm, errors }) => <ContactFields form={form} setForm={setForm} errors={errors} defs={defs} current={contact} />}
    />
  );
}

export function ContactDetailPage() {
  const id = Number(useParams().id);
  const navigate = useNavigate();
  const qc = useQueryClient();
  const canWrite = useCan('contacts:write');
  const canContent = useCan('content:read');
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const contact = useQuery({ queryKey: keys.contact(id), queryFn: () => getContact(id), enabled: Number.isInteger(id) && id > 0 });
  const defs = usePropertyDefs('contact');

  if (!Number.isInteger(id) || id <= 0 || (contact.error instanceof ApiError && contact.error.status === 404)) {
    return (
      <NotFoundCard title="Contact not found" backTo="/contacts" backLabel="Back to contacts">
        It may have been deleted, or the link is wrong.
      </NotFoundCard>
    );
  }
  if (contact.isPending) return <Loading label="Loading contact…" />;
  if (contact.isError) return <ErrorState error={contact.error} retry={() => contact.refetch()} title="Could not load this contact" />;
  const c = contact.data;
  const name = fullName(c) || c.email;

  return (
    <>
      <EntityHeader listTo="/contacts" listLabel="Contacts" name={name} nameTestId="contact-name" onDelete={canWrite ? () => setDeleting(true) : undefined}>
        <a href={`mailto:${c.email}`}>{c.email}</a>
        <span className="sep">•</span>
        <LifecycleBadge stage={c.lifecycleStage} />
        {c.account && (
          <>
            <span className="sep">•</span>
            <Link to={`/accounts/${c.account.id}`}>{c.account.name}</Link>
          </>
        )}
        <span className="sep">•</span>
        <span>Owner: {c.owner?.name ?? 'Unassigned'}</span>
      </EntityHeader>

      <div className="detail-grid">
        <PropertiesCard editing={editing} editTitle="Edit contact" canEdit={canWrite} onEdit={() => setEditing(true)}>
          {editing ? <EditForm contact={c} defs={defs} onDone={() => setEditing(false)} /> : <PropertiesView contact={c} defs={defs} />}
        </PropertiesCard>
        <Timeline id={c.id} />
      </div>
      <LifecycleCard contactId={c.id} />
      <ContactHandoffs contactId={c.id} />
      <ContactScorePanel contactId={c.id} updatedAt={c.updatedAt} />
      <DealsSection contact={c} />
      {canContent && <ContactContentCard contactId={c.id} />}

      {deleting && (
        <ConfirmDialog
          title="Delete this contact?"
          confirmLabel="Delete contact"
          onClose={() => setDeleting(false)}
          onConfirm={async () => {
            await deleteContact(c.id);
            qc.removeQueries({ queryKey: keys.contact(c.id) });
            qc.invalidateQueries({ queryKey: ['contacts'] });
            navigate('/contacts', { replace: true });
          }}
        >
          <strong>{name}</strong> ({c.email}) and their properties will be deleted. This cannot be undone.
        </ConfirmDialog>
      )}
    </>
  );
}
