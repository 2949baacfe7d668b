// Email → Templates → editor: name, subject, topic, MJML source on the left; the live preview (rendered by the
// server against a real contact, debounced) on the right with its plain-text part; save (bad MJML / Liquid is
// refused with the line named) and test-send to the chosen contact.
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, errorMessage } from '../../api/client.ts';
import { listContacts } from '../../api/contacts.ts';
import { createTemplate, deleteTemplate, emailKeys, getTemplate, listTopics, previewTemplate, STARTER_MJML, testSend, updateTemplate, type Preview } from '../../api/email.ts';
import { SelectField, TextField } from '../../components/Field.tsx';
import { ConfirmDialog } from '../../components/Modal.tsx';
import { ErrorAlert, ErrorState, Loading } from '../../components/States.tsx';
import { useCan, useMe } from '../identity/auth.tsx';
import { EmailTabs } from './EmailNav.tsx';

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const h = setTimeout(() => setV(value), ms);
    return () => clearTimeout(h);
  }, [value, ms]);
  return v;
}

export function TemplateEditorPage() {
  const params = useParams();
  const id = params.id && params.id !== 'new' ? Number(params.id) : null;
  const existing = useQuery({ queryKey: emailKeys.template(id ?? 0), queryFn: () => getTemplate(id!), enabled: id != null });
  if (id != null && existing.isPending) return <Loading label="Loading template…" />;
  if (id != null && existing.isError) return <ErrorState error={existing.error} title="Could not load this template" />;
  return <Editor key={id ?? 'new'} id={id} initial={existing.data ?? null} />;
}

function Editor({ id, initial }: { id: number | null; initial: Awaited<ReturnType<typeof getTemplate>> | null }) {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const canManage = useCan('email:manage');
  const [name, setName] = useState(initial?.name ?? '');
  const [subject, setSubject] = useState(initial?.subject ?? 'A guide for {{ account.name | default: "your team" }}');
  const [mjml, setMjml] = useState(initial?.mjml ?? STARTER_MJML);
  const [topicId, setTopicId] = useState<number | null>(initial?.topicId ?? null);
  const [contactQ, setContactQ] = useState('');
  const [contactId, setContactId] = useState<number | null>(null);
  const me = useMe();
  const [testTo, setTestTo] = useState(me.user?.email ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [view, setView] = useState<'html' | 'text'>('html');
  const topics = useQuery({ queryKey: emailKeys.topics, queryFn: listTopics });
  const q = useDebounced(contactQ, 300);
  const contacts = useQuery({ queryKey: ['contacts', { q, limit: '8' }], queryFn: () => listContacts({ q: q || undefined, limit: '8' }) });
  useEffect(() => {
    if (contactId == null && contacts.data?.items[0]) setContactId(contacts.data.items[0].id);
  }, [contacts.data, contactId]);
  const input = useDebounced({ subject, mjml, contactId }, 500);
  const preview = useQuery<Preview>({
    queryKey: ['email', 'preview', id, input],
    queryFn: () => previewTemplate(null, { subject: input.subject, mjml: input.mjml, contactId: input.contactId }),
    retry: false,
    placeholderData: (prev) => prev,
  });
  const previewError = preview.error instanceof ApiError ? preview.error.message : preview.error ? errorMessage(preview.error) : null;

  async function save() {
    setSaving(true);
    setErrors({});
    setError(null);
    setNotice(null);
    try {
      const body = { name: name.trim(), subject, mjml, topicId };
      const saved = id ? await updateTemplate(id, body) : await createTemplate(body);
      await qc.invalidateQueries({ queryKey: ['email', 'templates'] });
      setNotice(`Saved (version ${saved.version}).`);
      if (!id) navigate(`/email/templates/${saved.id}`, { replace: true });
    } catch (e) {
      if (e instanceof ApiError && Object.keys(e.fieldErrors).length) setErrors(e.fieldErrors);
      else setError(e);
    } finally {
      setSaving(false);
    }
  }
  async function sendTest() {
    if (!id || !contactId) return;
    setError(null);
    setNotice(null);
    try {
      const r = await testSend(id, { contactId, to: testTo.trim() });
      setNotice(`Test queued to ${r.to}, rendered as the contact. See it in the Outbox.`);
    } catch (e) {
      if (e instanceof ApiError && e.fieldErrors.to) setErrors({ ...errors, to: e.fieldErrors.to });
      else setError(e);
    }
  }

  return (
    <>
      <div className="page-header">
        <div>
          <h1>{id ? name || 'Template' : 'New template'}</h1>
          <p className="subtitle"><Link to="/email/templates">Templates</Link> · variables: <code>contact.*</code>, <code>account.*</code>, <code>content.title / url</code>, <code>unsubscribe_url</code></p>
        </div>
        {canManage && (
          <div style={{ display: 'flex', gap: 8 }}>
            {id && <button className="btn" onClick={() => setDeleting(true)}>Delete</button>}
            <button className="btn btn-primary" onClick={save} disabled={saving}>{saving ? 'Saving…' : 'Save'}</button>
          </div>
        )}
      </div>
      <EmailTabs />
      {error != null && <ErrorAlert error={error} />}
      {notice && <div className="alert alert-success" role="status">{notice}</div>}
      <div style={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)', gap: 16 }}>
        <div className="card" style={{ padding: 16 }}>
          <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} placeholder="Welcome — practical guide" />
          <TextField label="Subject (Liquid)" value={subject} onChange={(e) => setSubject(e.target.value)} error={errors.subject} />
          <SelectField label="Subscription topic" value={topicId ?? ''} onChange={(e) => setTopicId(e.target.value ? Number(e.target.value) : null)} error={errors.topicId} hint="Only contacts with consent for this topic receive it.">
            <option value="">— none —</option>
            {topics.data?.items.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
          </SelectField>
          <div className="field">
            <label htmlFor="mjml-source">MJML</label>
            <textarea id="mjml-source" className={`input${errors.mjml ? ' invalid' : ''}`} spellCheck={false} value={mjml} onChange={(e) => setMjml(e.target.value)} rows={22} style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace', fontSize: 12, whiteSpace: 'pre' }} aria-invalid={errors.mjml ? true : undefined} />
            {errors.mjml && <span className="field-error" role="alert">{errors.mjml}</span>}
          </div>
        </div>
        <div className="card" style={{ padding: 16 }}>
          <div style={{ display: 'flex', gap: 8, alignItems: 'flex-end', flexWrap: 'wrap' }}>
            <TextField label="Preview as contact" placeholder="Search contacts…" value={contactQ} onChange={(e) => setContactQ(e.target.value)} />
            <SelectField label="Contact" value={contactId ?? ''} onChange={(e) => setContactId(e.target.value ? Number(e.target.value) : null)}>
              <option value="">Sample data</option>
              {contacts.data?.items.map((c) => <option key={c.id} value={c.id}>{c.email}</option>)}
            </SelectField>
            <div className="btn-group" role="group" aria-label="Preview part" style={{ marginBottom: 12 }}>
              <button className={`btn${view === 'html' ? ' btn-primary' : ''}`} onClick={() => setView('html')}>HTML</button>
              <button className={`btn${view === 'text' ? ' btn-primary' : ''}`} onClick={() => setView('text')}>Plain text</button>
            </div>
          </div>
          {id && canManage && (
            <div style={{ display: 'flex', gap: 8, alignItems: 'flex-end', flexWrap: 'wrap' }} data-testid="template-test-send">
              <TextField label="Send test to" type="email" value={testTo} onChange={(e) => (setTestTo(e.target.value), setErrors({ ...errors, to: '' }))} error={errors.to || undefined} hint="Rendered as the contact above; sent only to this address" />
              <button className="btn" style={{ marginBottom: 12 }} onClick={sendTest} disabled={!contactId || !testTo.trim()} title={contactId ? undefined : 'Choose a contact to render the test as'}>
                Send test
              </button>
            </div>
          )}
          {previewError ? (
            <div className="alert alert-danger" role="alert" data-testid="preview-error">{previewError}</div>
          ) : preview.data ? (
            <>
              <p className="small"><strong>Subject:</strong> {preview.data.subject}</p>
              {view === 'html' ? (
                <iframe title="Email preview" sandbox="" srcDoc={preview.data.html} style={{ width: '100%', height: 520, border: '1px solid #e5e7eb', borderRadius: 6, background: '#fff' }} />
              ) : (
                <pre style={{ whiteSpace: 'pre-wrap', fontSize: 13, maxHeight: 520, overflow: 'auto' }}>{preview.data.text}</pre>
              )}
            </>
          ) : (
            <Loading label="Rendering preview…" />
          )}
        </div>
      </div>
      {deleting && id && (
        <ConfirmDialog
          title="Delete this template?"
          confirmLabel="Delete"
          onClose={() => setDeleting(false)}
          onConfirm={async () => {
            await deleteTemplate(id);
            await qc.invalidateQueries({ queryKey: ['email', 'templates'] });
            navigate('/email/templates');
          }}
        >
          Messages already sent keep their content; queued messages must be sent first.
        </ConfirmDialog>
      )}
    </>
  );
}
