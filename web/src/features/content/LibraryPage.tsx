// The sales library: find published content by stage, type, topic, product, segment and title words; pick the
// contact you are writing to, see what they already read, and copy a tracked link that attributes their visit.
import { useState } from 'react';
import { Link } from 'react-router';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CONTENT_FORMAT_LABELS, CONTENT_STAGE_LABELS, CONTENT_STAGES, CONTENT_TYPE_LABELS, CONTENT_TYPES, ContentFormat } from '../../../../src/contracts/content.ts';
import { getContact, keys as contactKeys } from '../../api/contacts.ts';
import { contactReading, createTrackedLink, itemPath, salesKeys, searchLibrary, type LibraryItem, type TrackedLink } from '../../api/content-sales.ts';
import { CursorPager, useCursorStack } from '../../components/Pager.tsx';
import { Empty, ErrorAlert, ListStates } from '../../components/States.tsx';
import { SearchInput, useUrlFilters } from '../../components/ListFilters.tsx';
import { useSearchBox } from '../../components/useSearchBox.ts';
import { formatDate, formatNumber, formatRelative, formatTotal, fullName } from '../../components/format.ts';
import { IconSearch } from '../../components/icons.tsx';
import { Modal } from '../../components/Modal.tsx';
import { ContactPicker, type Picked } from './EntityPicker.tsx';
import './sales.css';

const label = (map: Record<string, string>, k: string) => map[k] ?? k;

function TagFilter({ name, value, onChange }: { name: string; value: string | undefined; onChange: (v: string | undefined) => void }) {
  const [v, setV] = useSearchBox(value ?? '', (x) => onChange(x.trim() || undefined), 400);
  return <input className="input select-inline" style={{ width: 130 }} aria-label={name} placeholder={name} value={v} onChange={(e) => setV(e.target.value)} />;
}

function ContactRead({ contact }: { contact: Picked }) {
  const reading = useQuery({ queryKey: salesKeys.reading(contact.id), queryFn: () => contactReading(contact.id) });
  if (!reading.data) return null;
  const { items, links } = reading.data;
  return (
    <div className="card" data-testid="contact-reading">
      <div className="card-header">
        <strong>What {contact.label.split(' · ')[0]} already read</strong>
        <span className="muted small">
          {items.length} item{items.length === 1 ? '' : 's'} read · {links.length} link{links.length === 1 ? '' : 's'} sent
        </span>
      </div>
      {items.length === 0 && links.length === 0 ? (
        <Empty title="Nothing read yet">This contact has not viewed any content item. Send them a tracked link from the list below to see when they read it.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>Item</th>
                <th>Stage</th>
                <th className="num">Views</th>
                <th className="num">Deepest read</th>
                <th>Last read</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.item.id}>
                  <td className="lib-title">
                    <Link to={itemPath(r.item.id)}>{r.item.title}</Link>
                  </td>
                  <td>{label(CONTENT_STAGE_LABELS, r.item.stage)}</td>
                  <td className="num">{r.views}</td>
                  <td className="num">{r.maxDepthPct}%</td>
                  <td>{formatRelative(r.lastAt)}</td>
                </tr>
              ))}
              {links
                .filter((l) => !items.some((r) => r.item.id === l.itemId))
                .map((l) => (
                  <tr key={`link-${l.id}`}>
                    <td className="lib-title">
                      <Link to={itemPath(l.itemId)}>{l.title}</Link>
                      <div className="sub">
                        Link sent {formatRelative(l.createdAt)} by {l.sentBy ?? 'someone'}
                      </div>
                    </td>
                    <td>—</td>
                    <td className="num">{l.clicks ? `${l.clicks} click${l.clicks === 1 ? '' : 's'}` : 'not opened'}</td>
                    <td className="num">—</td>
                    <td>{l.lastClickedAt ? formatRelative(l.lastClickedAt) : '—'}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function LinkDialog({ link, copied, onClose }: { link: TrackedLink; copied: boolean; onClose: () => void }) {
  return (
    <Modal title="Tracked link" onClose={onClose} footer={<button className="btn btn-primary" onClick={onClose}>Done</button>}>
      <p>{copied ? 'Copied to your clipboard. ' : ''}Paste it into your email: when your contact opens it, their visit and reading count as theirs.</p>
      <div className="secret" data-testid="tracked-link">
        <code>{link.url}</code>
      </div>
      <p className="muted small" style={{ marginTop: 8 }}>
        It leads to {link.target} and works until {formatDate(link.expiresAt)}.
      </p>
    </Modal>
  );
}

function ResultsTable({ items, contact, onLink, pendingId, dim }: { items: LibraryItem[]; contact: Picked | null; onLink: (item: LibraryItem) => void; pendingId: number | null; dim: boolean }) {
  return (
    <div className="table-wrap" style={{ opacity: dim ? 0.6 : 1 }}>
      <table className="table" data-testid="library-table">
        <thead>
          <tr>
            <th>Content</th>
            <th>Stage</th>
            <th>Type</th>
            <th>Topics</th>
            <th className="num">Readers (90 d)</th>
            {contact && <th>Read by contact</th>}
            <th />
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={i.id}>
              <td className="lib-title">
                <Link to={itemPath(i.id)}>{i.title}</Link>
                <div className="sub">
                  {label(CONTENT_FORMAT_LABELS, i.format)}
                  {i.publishedAt ? ` · published ${formatDate(i.publishedAt)}` : ''}
                  {i.products.length ? ` · ${i.products.join(', ')}` : ''}
                </div>
              </td>
              <td>{label(CONTENT_STAGE_LABELS, i.stage)}</td>
              <td>{label(CONTENT_TYPE_LABELS, i.type)}</td>
              <td>
                <div className="chips">
                  {i.topics.slice(0, 4).map((t) => (
                    <span key={t} className="tag">
                      {t}
                    </span>
                  ))}
                </div>
              </td>
              <td className="num">
                {formatNumber(i.readers)}
                <div className="sub">{formatNumber(i.views)} views</div>
              </td>
              {contact && <td>{i.contactRead ? <span className="read-by">✓ {i.contactRead.maxDepthPct}% · {formatRelative(i.contactRead.lastAt)}</span> : <span className="muted small">not yet</span>}</td>}
              <td className="num">
                <button
                  className="btn btn-sm"
                  disabled={!contact || !i.url || pendingId === i.id}
                  title={!contact ? 'Choose the contact you are writing to first' : !i.url ? 'This item has no URL' : undefined}
                  onClick={() => onLink(i)}
                  data-testid={`copy-link-${i.id}`}
                >
                  {pendingId === i.id ? 'Creating…' : 'Copy tracked link'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function LibraryPage() {
  const { setParams, filters, update } = useUrlFilters();
  const qc = useQueryClient();
  // The contact you are writing to lives in the URL (?contact=<id>), so the contact page can link here.
  const contactId = filters.contact && /^\d+$/.test(filters.contact) ? Number(filters.contact) : null;
  const contactQ = useQuery({ queryKey: contactKeys.contact(contactId ?? 0), queryFn: () => getContact(contactId!), enabled: contactId !== null });
  const contact: Picked | null = contactId !== null && contactQ.data ? { id: contactId, label: fullName(contactQ.data) ? `${fullName(contactQ.data)} · ${contactQ.data.email}` : contactQ.data.email } : null;
  const setContact = (p: Picked | null) => update({ contact: p ? String(p.id) : undefined });
  const [link, setLink] = useState<{ link: TrackedLink; copied: boolean } | null>(null);
  const pager = useCursorStack(JSON.stringify(filters));
  const [q, setQ] = useSearchBox(filters.q ?? '', (v) => update({ q: v || undefined }));
  const params = { q: filters.q, stage: filters.stage, type: filters.type, format: filters.format, topic: filters.topic, product: filters.product, segment: filters.segment, contactId: contactId !== null ? String(contactId) : undefined, cursor: pager.cursor, limit: '25' };
  const list = useQuery({ queryKey: salesKeys.library(params), queryFn: () => searchLibrary(params), placeholderData: keepPreviousData });
  const make = useMutation({
    mutationFn: (item: LibraryItem) => createTrackedLink(item.id, contact!.id),
    onSuccess: async (l) => {
      let copied = false;
      try {
        await navigator.clipboard.writeText(l.url);
        copied = true;
      } catch {
        /* clipboard not allowed: the dialog shows the link to copy by hand */
      }
      setLink({ link: l, copied });
      qc.invalidateQueries({ queryKey: ['library-reading'] });
    },
  });
  const hasFilters = Boolean(filters.q || filters.stage || filters.type || filters.format || filters.topic || filters.product || filters.segment);
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Sales library</h1>
          <p className="subtitle">Published content to send to the people you are selling to. Pick your contact to see what they already read and to copy links that tell you when they read.</p>
        </div>
      </div>
      <ErrorAlert error={make.error} />
      <div className="stack">
        <div className="card">
          <div className="sharing-bar">
            <strong>Sharing with</strong>
            {contactId !== null && contactQ.isPending ? (
              <span className="muted small">Loading the contact…</span>
            ) : (
              <ContactPicker value={contact} onChange={setContact} />
            )}
            {contactId !== null && contactQ.isError && <ErrorAlert error={contactQ.error} />}
            {contactId === null && <span className="muted small">Choose a contact to copy tracked links and see their reading.</span>}
          </div>
          <div className="toolbar">
            <SearchInput placeholder="Search titles" label="Search titles" value={q} onChange={setQ} />
            <select className="input select-inline" aria-label="Stage" value={filters.stage ?? ''} onChange={(e) => update({ stage: e.target.value || undefined })}>
              <option value="">Any stage</option>
              {CONTENT_STAGES.map((s) => (
                <option key={s} value={s}>
                  {CONTENT_STAGE_LABELS[s]}
                </option>
              ))}
            </select>
            <select className="input select-inline" aria-label="Type" value={filters.type ?? ''} onChange={(e) => update({ type: e.target.value || undefined })}>
              <option value="">Any type</option>
              {CONTENT_TYPES.map((s) => (
                <option key={s} value={s}>
                  {CONTENT_TYPE_LABELS[s]}
                </option>
              ))}
            </select>
            <select className="input select-inline" aria-label="Format" value={filters.format ?? ''} onChange={(e) => update({ format: e.target.value || undefined })}>
              <option value="">Any format</option>
              {ContentFormat.options.map((s) => (
                <option key={s} value={s}>
                  {CONTENT_FORMAT_LABELS[s]}
                </option>
              ))}
            </select>
            <TagFilter name="Topic" value={filters.topic} onChange={(topic) => update({ topic })} />
            <TagFilter name="Product" value={filters.product} onChange={(product) => update({ product })} />
            <TagFilter name="Segment" value={filters.segment} onChange={(segment) => update({ segment })} />
          </div>
          <ListStates
            query={list}
            loading="Searching the library…"
            errorTitle="Could not search the library"
            empty={
              hasFilters ? (
                <Empty title="Nothing matches" icon={<IconSearch />} actions={<button className="btn" onClick={() => setParams(filters.contact ? { contact: filters.contact } : {}, { replace: true })}>Clear filters</button>} />
              ) : (
                <Empty title="No published content yet">Marketing publishes content items on the calendar; once an item is published it appears here for sales.</Empty>
              )
            }
          >
            {(data) => (
              <>
                <ResultsTable items={data.items} contact={contact} onLink={(i) => make.mutate(i)} pendingId={make.isPending ? (make.variables?.id ?? null) : null} dim={list.isPlaceholderData} />
                <CursorPager pager={pager} nextCursor={data.nextCursor} summary={formatTotal(data.total, 'item')} />
              </>
            )}
          </ListStates>
        </div>
        {contact && <ContactRead contact={contact} />}
      </div>
      {link && <LinkDialog link={link.link} copied={link.copied} onClose={() => setLink(null)} />}
    </>
  );
}
