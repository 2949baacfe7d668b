// Field intel: sales post what they hear ("what are you hearing from others?") tagged by topic, competitor and
// account; everyone sees the feed; marketing sees mentions per week by topic or competitor and turns an entry
// or a whole trend into a calendar idea.
import { useMemo, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { EChartsOption } from 'echarts';
import { deleteIntel, intelToIdea, intelTrends, itemPath, listIntel, postIntel, salesKeys, splitTags, trendToIdea, type IntelEntry, type IntelTrend } from '../../api/content-sales.ts';
import { ApiError, type FieldErrors } from '../../api/client.ts';
import { getAccount, keys as contactKeys } from '../../api/contacts.ts';
import { Chart } from '../../components/Chart.tsx';
import { CursorPager, useCursorStack } from '../../components/Pager.tsx';
import { Empty, ErrorAlert, ListStates } from '../../components/States.tsx';
import { useUrlFilters } from '../../components/ListFilters.tsx';
import { formatDate, formatRelative, formatTotal } from '../../components/format.ts';
import { useCan, useMe } from '../identity/auth.tsx';
import { AccountPicker, type Picked } from './EntityPicker.tsx';
import './sales.css';

function PostForm({ initialAccount }: { initialAccount: Picked | null }) {
  const qc = useQueryClient();
  const [body, setBody] = useState('');
  const [topics, setTopics] = useState('');
  const [competitors, setCompetitors] = useState('');
  const [account, setAccount] = useState<Picked | null>(initialAccount);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [posted, setPosted] = useState(false);
  const m = useMutation({
    mutationFn: () => postIntel({ body, topics: splitTags(topics), competitors: splitTags(competitors), accountId: account?.id ?? null }),
    onSuccess: () => {
      setBody('');
      setTopics('');
      setCompetitors('');
      setAccount(initialAccount);
      setErrors({});
      setPosted(true);
      qc.invalidateQueries({ queryKey: ['intel'] });
      qc.invalidateQueries({ queryKey: ['intel-trends'] });
    },
    onError: (e) => setErrors(e instanceof ApiError ? e.fieldErrors : {}),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setPosted(false);
    m.mutate();
  };
  const err = (f: string) => Object.entries(errors).find(([k]) => k === f || k.startsWith(`${f}.`))?.[1];
  return (
    <form className="card" onSubmit={submit} aria-label="Post field intel" data-testid="intel-form">
      <div className="card-header">
        <strong>What are you hearing from others?</strong>
        <span className="muted small">Questions prospects ask, objections, what competitors say — marketing turns it into content.</span>
      </div>
      {m.isError && Object.keys(errors).length === 0 && <div style={{ padding: '12px 16px 0' }}><ErrorAlert error={m.error} /></div>}
      {posted && <div className="alert alert-success" style={{ margin: '12px 16px 0' }}>Thanks — posted. Marketing sees it in the trends below.</div>}
      <div className="intel-form">
        <div className="field">
          <label htmlFor="intel-body">What you heard</label>
          <textarea id="intel-body" className={`input${err('body') ? ' invalid' : ''}`} rows={5} value={body} onChange={(e) => setBody(e.target.value)} placeholder="e.g. Three CFOs this month asked how our pricing compares with Initech's per-seat model" />
          {err('body') && <span className="field-error" role="alert">{err('body')}</span>}
        </div>
        <div className="side">
          <div className="field">
            <label htmlFor="intel-topics">Topics</label>
            <input id="intel-topics" className={`input${err('topics') ? ' invalid' : ''}`} value={topics} onChange={(e) => setTopics(e.target.value)} placeholder="pricing, data residency" />
            {err('topics') ? <span className="field-error" role="alert">{err('topics')}</span> : <span className="hint">Comma separated</span>}
          </div>
          <div className="field">
            <label htmlFor="intel-competitors">Competitors</label>
            <input id="intel-competitors" className={`input${err('competitors') ? ' invalid' : ''}`} value={competitors} onChange={(e) => setCompetitors(e.target.value)} placeholder="initech" />
            {err('competitors') && <span className="field-error" role="alert">{err('competitors')}</span>}
          </div>
          <div className="field">
            <label>Account (optional)</label>
            <AccountPicker value={account} onChange={setAccount} />
            {err('accountId') && <span className="field-error" role="alert">{err('accountId')}</span>}
          </div>
        </div>
        <div className="actions">
          <button className="btn btn-primary" type="submit" disabled={m.isPending}>
            {m.isPending ? 'Posting…' : 'Post intel'}
          </button>
        </div>
      </div>
    </form>
  );
}

function trendOption(t: IntelTrend): EChartsOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0, type: 'scroll' },
    grid: { left: 36, right: 16, top: 12, bottom: 48 },
    xAxis: { type: 'category', data: t.weeks.map((w) => formatDate(w).replace(/, \d{4}$/, '')) },
    yAxis: { type: 'value', minInterval: 1 },
    series: t.series.map((s) => ({ name: s.key, type: 'line', symbolSize: 6, data: s.counts })),
  };
}

function Trends({ onFilter }: { onFilter: (by: 'topic' | 'competitor', key: string) => void }) {
  const qc = useQueryClient();
  const canWrite = useCan('content:write');
  const [by, setBy] = useState<'topic' | 'competitor'>('topic');
  const [weeks, setWeeks] = useState(12);
  const params = { by, weeks: String(weeks) };
  const trends = useQuery({ queryKey: salesKeys.trends(params), queryFn: () => intelTrends(params) });
  const option = useMemo(() => (trends.data ? trendOption(trends.data) : null), [trends.data]);
  const idea = useMutation({
    mutationFn: (key: string) => trendToIdea({ by, key, weeks }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['intel'] });
      qc.invalidateQueries({ queryKey: ['intel-trends'] });
    },
  });
  const t = trends.data;
  return (
    <div className="card" data-testid="intel-trends">
      <div className="card-header">
        <strong>Trends: mentions per week</strong>
        <div className="row">
          <div className="segmented" role="group" aria-label="Group by">
            <button type="button" className={by === 'topic' ? 'active' : ''} onClick={() => setBy('topic')}>
              Topics
            </button>
            <button type="button" className={by === 'competitor' ? 'active' : ''} onClick={() => setBy('competitor')}>
              Competitors
            </button>
          </div>
          <select className="input select-inline" aria-label="Weeks" value={weeks} onChange={(e) => setWeeks(Number(e.target.value))}>
            {[4, 8, 12, 26, 52].map((w) => (
              <option key={w} value={w}>
                Last {w} weeks
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorAlert error={trends.error ?? idea.error} />
      {idea.data && (
        <div className="alert alert-success" style={{ margin: '12px 16px 0' }}>
          Idea <Link to={itemPath(idea.data.item.id)}>“{idea.data.item.title}”</Link> is on the calendar, with {idea.data.linkedIntel} field intel {idea.data.linkedIntel === 1 ? 'entry' : 'entries'} in its research notes.
        </div>
      )}
      {t && t.series.length === 0 ? (
        <Empty title={`No ${by === 'topic' ? 'topics' : 'competitors'} mentioned in the last ${weeks} weeks`}>Posts tagged with a {by} show up here week by week.</Empty>
      ) : (
        t && (
          <>
            <div className="card-body">{option && <Chart option={option} height={260} label={`Field intel mentions per week by ${by}`} testId="intel-trend-chart" />}</div>
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th>{by === 'topic' ? 'Topic' : 'Competitor'}</th>
                    <th className="num">Mentions</th>
                    <th className="num">Last 4 weeks vs 4 before</th>
                    <th className="num">Not yet an idea</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {t.series.map((s) => (
                    <tr key={s.key}>
                      <td>
                        <button type="button" className={`tag button${by === 'competitor' ? ' competitor' : ''}`} onClick={() => onFilter(by, s.key)} title="Show these entries">
                          {s.key}
                        </button>
                      </td>
                      <td className="num">{s.total}</td>
                      <td className="num" style={{ color: s.change > 0 ? 'var(--success)' : s.change < 0 ? 'var(--danger)' : undefined }}>
                        {s.change > 0 ? `+${s.change}` : s.change}
                      </td>
                      <td className="num">{s.open}</td>
                      <td className="num">
                        {canWrite && (
                          <button className="btn btn-sm" disabled={s.open === 0 || idea.isPending} onClick={() => idea.mutate(s.key)} title={s.open === 0 ? 'Every entry is already an idea' : undefined}>
                            Make a calendar idea
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )
      )}
    </div>
  );
}

function Entry({ e }: { e: IntelEntry }) {
  const qc = useQueryClient();
  const me = useMe();
  const canWrite = useCan('content:write');
  const mine = me.user?.id !== undefined && e.postedBy?.id === me.user.id;
  const refresh = () => {
    qc.invalidateQueries({ queryKey: ['intel'] });
    qc.invalidateQueries({ queryKey: ['intel-trends'] });
  };
  const idea = useMutation({ mutationFn: () => intelToIdea(e.id), onSuccess: refresh });
  const remove = useMutation({ mutationFn: () => deleteIntel(e.id), onSuccess: refresh });
  return (
    <div className="intel-entry" data-testid="intel-entry">
      <div className="body">
        <p>{e.body}</p>
        <div className="meta">
          {e.topics.map((t) => (
            <span key={t} className="tag">
              {t}
            </span>
          ))}
          {e.competitors.map((c) => (
            <span key={c} className="tag competitor">
              vs {c}
            </span>
          ))}
          {e.account && <Link to={`/accounts/${e.account.id}`}>{e.account.name}</Link>}
          <span>
            {e.postedBy?.name ?? 'Someone'} · heard {formatDate(e.heardOn)} · posted {formatRelative(e.createdAt)}
          </span>
        </div>
        <ErrorAlert error={idea.error ?? remove.error} />
      </div>
      <div className="row" style={{ alignItems: 'flex-start' }}>
        {e.idea ? (
          <Link className="btn btn-sm btn-ghost" to={itemPath(e.idea.id)}>
            Idea: {e.idea.title.length > 28 ? `${e.idea.title.slice(0, 28)}…` : e.idea.title}
          </Link>
        ) : (
          canWrite && (
            <button className="btn btn-sm" onClick={() => idea.mutate()} disabled={idea.isPending}>
              Turn into idea
            </button>
          )
        )}
        {(mine || canWrite) && (
          <button className="btn btn-sm btn-ghost" onClick={() => remove.mutate()} disabled={remove.isPending} aria-label="Delete entry">
            Delete
          </button>
        )}
      </div>
    </div>
  );
}

export function FieldIntelPage() {
  const { filters, update, setParams } = useUrlFilters();
  const canPost = useCan('intel:post');
  const me = useMe();
  const pager = useCursorStack(JSON.stringify(filters));
  // ?account=<id> (from an account page): entries heard at that account, and the form starts with it.
  const accountId = filters.account && /^\d+$/.test(filters.account) ? Number(filters.account) : null;
  const accountQ = useQuery({ queryKey: contactKeys.account(accountId ?? 0), queryFn: () => getAccount(accountId!), enabled: accountId !== null });
  const account: Picked | null = accountQ.data ? { id: accountQ.data.id, label: accountQ.data.domain ? `${accountQ.data.name} (${accountQ.data.domain})` : accountQ.data.name } : null;
  const params = { accountId: filters.account, topic: filters.topic, competitor: filters.competitor, postedBy: filters.mine && me.user ? String(me.user.id) : undefined, open: filters.open, cursor: pager.cursor, limit: '20' };
  const list = useQuery({ queryKey: salesKeys.intel(params), queryFn: () => listIntel(params), placeholderData: keepPreviousData });
  const hasFilters = Boolean(filters.account || filters.topic || filters.competitor || filters.mine || filters.open);
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Field intel</h1>
          <p className="subtitle">What sales hear in the field, by topic and competitor. The trends feed the editorial calendar.</p>
        </div>
      </div>
      <div className="stack">
        {canPost && (accountId === null || !accountQ.isPending) && <PostForm key={account?.id ?? 0} initialAccount={account} />}
        <Trends onFilter={(by, key) => update(by === 'topic' ? { topic: key, competitor: undefined } : { competitor: key, topic: undefined })} />
        <div className="card">
          <div className="toolbar">
            <strong>Entries</strong>
            {account && <span className="tag">at {account.label}</span>}
            {filters.topic && <span className="tag">topic: {filters.topic}</span>}
            {filters.competitor && <span className="tag competitor">vs {filters.competitor}</span>}
            <label className="row small" style={{ gap: 6 }}>
              <input type="checkbox" checked={Boolean(filters.mine)} onChange={(e) => update({ mine: e.target.checked ? '1' : undefined })} /> Mine
            </label>
            <label className="row small" style={{ gap: 6 }}>
              <input type="checkbox" checked={filters.open === 'true'} onChange={(e) => update({ open: e.target.checked ? 'true' : undefined })} /> Not yet an idea
            </label>
            {hasFilters && (
              <button className="btn btn-sm btn-ghost" onClick={() => setParams({}, { replace: true })}>
                Clear
              </button>
            )}
            <div className="spacer" />
            {list.data && <span className="muted small">{formatTotal(list.data.total, 'entry', 'entries')}</span>}
          </div>
          <ListStates
            query={list}
            loading="Loading field intel…"
            errorTitle="Could not load field intel"
            empty={hasFilters ? <Empty title="No entries match these filters" /> : <Empty title="No field intel yet">Sales post what they hear with the form above; each entry is tagged by topic or competitor.</Empty>}
          >
            {(data) => (
              <>
                <div style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}>
                  {data.items.map((e) => (
                    <Entry key={e.id} e={e} />
                  ))}
                </div>
                <CursorPager pager={pager} nextCursor={data.nextCursor} summary={formatTotal(data.total, 'entry', 'entries')} />
              </>
            )}
          </ListStates>
        </div>
      </div>
    </>
  );
}
