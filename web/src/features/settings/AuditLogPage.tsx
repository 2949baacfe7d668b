// Settings → Audit log: who changed what, newest first, keyset paged.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { keys, listAuditLog } from '../../api/identity.ts';
import { Badge } from '../../components/Badge.tsx';
import { formatDateTime } from '../../components/format.ts';
import { IconList } from '../../components/icons.tsx';
import { CursorPager, useCursorStack } from '../../components/Pager.tsx';
import { Empty, ListStates } from '../../components/States.tsx';

function actionTone(action: string): 'green' | 'red' | 'blue' | 'amber' | 'gray' {
  if (/(create|insert|import|setup|add)/.test(action)) return 'green';
  if (/(delete|revoke|disable|remove)/.test(action)) return 'red';
  if (/(update|change|patch|enable)/.test(action)) return 'blue';
  if (/(login|logout|sign)/.test(action)) return 'gray';
  return 'amber';
}

export function AuditLogPage() {
  const pager = useCursorStack('audit');
  const log = useQuery({ queryKey: keys.audit(pager.cursor ?? null), queryFn: () => listAuditLog(pager.cursor ?? null), placeholderData: keepPreviousData });
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Audit log</h1>
          <p className="subtitle">Every change made in revloop, by a person or an API key.</p>
        </div>
      </div>
      <div className="card">
        <ListStates
          query={log}
          loading="Loading the audit log…"
          errorTitle="Could not load the audit log"
          empty={
            <Empty title="Nothing recorded yet" icon={<IconList />}>
              Changes to users, API keys, contacts, accounts and properties will be listed here.
            </Empty>
          }
        >
          {(data) => (
            <>
              <div className="table-wrap">
                <table className="table" data-testid="audit-table">
                  <thead>
                    <tr>
                      <th>When</th>
                      <th>Who</th>
                      <th>Action</th>
                      <th>Summary</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((e) => (
                      <tr key={e.id}>
                        <td className="nowrap muted">{formatDateTime(e.at)}</td>
                        <td className="cell-truncate">
                          {e.actorLabel}
                          {e.actorType !== 'user' && <div className="sub">{e.actorType.replace('_', ' ')}</div>}
                        </td>
                        <td>
                          <Badge tone={actionTone(e.action)} plain>
                            <span className="mono">{e.action}</span>
                          </Badge>
                        </td>
                        <td>{e.summary}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <CursorPager pager={pager} nextCursor={data.nextCursor} />
            </>
          )}
        </ListStates>
      </div>
    </>
  );
}
