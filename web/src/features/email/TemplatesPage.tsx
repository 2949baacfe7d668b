// Email → Templates: the list, and a new template (starts from a working MJML layout).
import { Link, useNavigate } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { emailKeys, listTemplates, listTopics } from '../../api/email.ts';
import { formatDateTime } from '../../components/format.ts';
import { IconPlus } from '../../components/icons.tsx';
import { Empty, ListStates } from '../../components/States.tsx';
import { useCan } from '../identity/auth.tsx';
import { EmailTabs } from './EmailNav.tsx';

export function TemplatesPage() {
  const list = useQuery({ queryKey: emailKeys.templates, queryFn: listTemplates });
  const topics = useQuery({ queryKey: emailKeys.topics, queryFn: listTopics });
  const canManage = useCan('email:manage');
  const navigate = useNavigate();
  const topicName = (id: number | null) => topics.data?.items.find((t) => t.id === id)?.name ?? '—';
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Email</h1>
          <p className="subtitle">MJML layouts with Liquid personalisation (contact, account, content item). Output is escaped unless you add <code>| raw</code>.</p>
        </div>
        {canManage && (
          <button className="btn btn-primary" onClick={() => navigate('/email/templates/new')}>
            <IconPlus /> New template
          </button>
        )}
      </div>
      <EmailTabs />
      <div className="card">
        <ListStates
          query={list}
          loading="Loading templates…"
          errorTitle="Could not load templates"
          empty={
            <Empty title="No email templates yet" actions={canManage && <button className="btn btn-primary" onClick={() => navigate('/email/templates/new')}>Create your first template</button>}>
              A template is what nurture programs and campaigns send. Start from the example layout, preview it against a real contact, and send yourself a test.
            </Empty>
          }
        >
          {(data) => (
            <div className="table-wrap">
              <table className="table" data-testid="email-templates">
                <thead>
                  <tr><th>Name</th><th>Subject</th><th>Topic</th><th>Version</th><th>Changed</th></tr>
                </thead>
                <tbody>
                  {data.items.map((t) => (
                    <tr key={t.id}>
                      <td><Link to={`/email/templates/${t.id}`}>{t.name}</Link></td>
                      <td><code className="small">{t.subject}</code></td>
                      <td>{topicName(t.topicId)}</td>
                      <td>{t.version}</td>
                      <td>{formatDateTime(t.updatedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </ListStates>
      </div>
    </>
  );
}
