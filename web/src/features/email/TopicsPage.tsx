// Email → Topics & consent: subscription topics with how many contacts currently consent, the latest consent
// records (source, time, text), and recording consent for a contact by hand.
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { addConsent, createTopic, emailKeys, listConsents, listTopics } from '../../api/email.ts';
import { Badge } from '../../components/Badge.tsx';
import { SelectField, TextField } from '../../components/Field.tsx';
import { FormDialog, useFormMutation } from '../../components/FormDialog.tsx';
import { formatDateTime } from '../../components/format.ts';
import { IconPlus } from '../../components/icons.tsx';
import { Empty, ListStates } from '../../components/States.tsx';
import { useCan } from '../identity/auth.tsx';
import { EmailTabs } from './EmailNav.tsx';

function TopicDialog({ onClose }: { onClose: () => void }) {
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [key, setKey] = useState('');
  const [description, setDescription] = useState('');
  const { mutation, errors, topError } = useFormMutation({
    mutationFn: () => createTopic({ key: key || name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, ''), name, description: description || null }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['email', 'topics'] });
      onClose();
    },
  });
  return (
    <FormDialog title="New subscription topic" formId="topic" formLabel="New subscription topic" onClose={onClose} onSubmit={(e: FormEvent) => { e.preventDefault(); mutation.mutate(); }} error={topError} pending={mutation.isPending} submitLabel="Create topic" pendingLabel="Creating…">
      <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} autoFocus placeholder="Product news" />
      <TextField label="Key" value={key} onChange={(e) => setKey(e.target.value)} error={errors.key} hint="What senders use (snake_case); derived from the name when empty." />
      <TextField label="Description" value={description} onChange={(e) => setDescription(e.target.value)} error={errors.description} hint="Shown on the preference page." />
    </FormDialog>
  );
}

function ConsentDialog({ topics, onClose }: { topics: { key: string; name: string }[]; onClose: () => void }) {
  const qc = useQueryClient();
  const [contactId, setContactId] = useState('');
  const [topicKey, setTopicKey] = useState(topics[0]?.key ?? '');
  const [status, setStatus] = useState<'granted' | 'revoked'>('granted');
  const [source, setSource] = useState('');
  const [text, setText] = useState('');
  const { mutation, errors, topError } = useFormMutation({
    mutationFn: () => addConsent({ contactId: Number(contactId), topicKey, status, source, text: text || null }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['email'] });
      onClose();
    },
  });
  return (
    <FormDialog title="Record consent" formId="consent" formLabel="Record consent" onClose={onClose} onSubmit={(e: FormEvent) => { e.preventDefault(); mutation.mutate(); }} error={topError} pending={mutation.isPending} submitLabel="Record" pendingLabel="Saving…">
      <TextField label="Contact id" value={contactId} onChange={(e) => setContactId(e.target.value)} error={errors.contactId} inputMode="numeric" autoFocus />
      <SelectField label="Topic" value={topicKey} onChange={(e) => setTopicKey(e.target.value)} error={errors.topicKey}>
        {topics.map((t) => <option key={t.key} value={t.key}>{t.name}</option>)}
      </SelectField>
      <SelectField label="Consent" value={status} onChange={(e) => setStatus(e.target.value as 'granted' | 'revoked')}>
        <option value="granted">Given</option>
        <option value="revoked">Withdrawn</option>
      </SelectField>
      <TextField label="Source" value={source} onChange={(e) => setSource(e.target.value)} error={errors.source} placeholder="webinar signup form" />
      <TextField label="Consent text" value={text} onChange={(e) => setText(e.target.value)} error={errors.text} hint="The words the person agreed to." />
    </FormDialog>
  );
}

export function TopicsPage() {
  const topics = useQuery({ queryKey: emailKeys.topics, queryFn: listTopics });
  const [topicKey, setTopicKey] = useState('');
  const consents = useQuery({ queryKey: emailKeys.consents({ topicKey }), queryFn: () => listConsents({ topicKey: topicKey || undefined }) });
  const [adding, setAdding] = useState<'topic' | 'consent' | null>(null);
  const canManage = useCan('email:manage');
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Email</h1>
          <p className="subtitle">Nothing is sent to a contact without consent for the message's topic. Every change is kept: who, when, where from, and the words they agreed to.</p>
        </div>
        {canManage && (
          <div style={{ display: 'flex', gap: 8 }}>
            <button className="btn" onClick={() => setAdding('consent')} disabled={!topics.data?.items.length}>Record consent</button>
            <button className="btn btn-primary" onClick={() => setAdding('topic')}><IconPlus /> New topic</button>
          </div>
        )}
      </div>
      <EmailTabs />
      <div className="card">
        <ListStates query={topics} loading="Loading topics…" errorTitle="Could not load topics" empty={<Empty title="No subscription topics yet" actions={canManage && <button className="btn btn-primary" onClick={() => setAdding('topic')}>Create a topic</button>}>Create one topic per kind of email people can opt in to (e.g. product news, events). Templates and nurture steps send under a topic.</Empty>}>
          {(data) => (
            <table className="table" data-testid="topics-table">
              <thead><tr><th>Topic</th><th>Key</th><th>Consenting</th><th>Withdrawn</th><th>Created</th></tr></thead>
              <tbody>
                {data.items.map((t) => (
                  <tr key={t.id}>
                    <td><strong>{t.name}</strong>{t.description && <div className="small muted">{t.description}</div>}</td>
                    <td><code>{t.key}</code></td>
                    <td>{t.granted}</td>
                    <td>{t.revoked}</td>
                    <td>{formatDateTime(t.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </ListStates>
      </div>
      <h2 style={{ fontSize: 16, marginTop: 24 }}>Consent records</h2>
      <div style={{ maxWidth: 260 }}>
        <SelectField label="Topic" value={topicKey} onChange={(e) => setTopicKey(e.target.value)}>
          <option value="">All topics</option>
          {topics.data?.items.map((t) => <option key={t.key} value={t.key}>{t.name}</option>)}
        </SelectField>
      </div>
      <div className="card">
        <ListStates query={consents} loading="Loading consent records…" errorTitle="Could not load consent records" empty={<Empty title="No consent records yet">Record consent from your forms through the API (POST /api/v1/email/consents) or by hand here.</Empty>}>
          {(data) => (
            <table className="table" data-testid="consents-table">
              <thead><tr><th>When</th><th>Contact</th><th>Topic</th><th>Consent</th><th>Source</th><th>Text</th><th>Recorded by</th></tr></thead>
              <tbody>
                {data.items.map((c) => (
                  <tr key={c.id}>
                    <td>{formatDateTime(c.at)}</td>
                    <td><Link to={`/contacts/${c.contactId}`}>{c.contactEmail ?? `#${c.contactId}`}</Link></td>
                    <td>{c.topicName}</td>
                    <td><Badge tone={c.status === 'granted' ? 'green' : 'amber'}>{c.status === 'granted' ? 'given' : 'withdrawn'}</Badge></td>
                    <td className="small">{c.source}</td>
                    <td className="small">{c.text ?? '—'}</td>
                    <td className="small muted">{c.recordedBy}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </ListStates>
      </div>
      {adding === 'topic' && <TopicDialog onClose={() => setAdding(null)} />}
      {adding === 'consent' && topics.data && <ConsentDialog topics={topics.data.items} onClose={() => setAdding(null)} />}
    </>
  );
}
