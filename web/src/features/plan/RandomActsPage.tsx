// Random acts of marketing: every campaign, cost line, content item and tool that links to no objective, with its
// spend and its share of total spend in the chosen months.
import { Link } from 'react-router';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { formatMoney } from '../../api/deals.ts';
import { getRandomActs, linkToObjective, listObjectiveOptions, spendKeys, type RandomActsReport } from '../../api/spend.ts';
import { Badge } from '../../components/Badge.tsx';
import { useUrlFilters } from '../../components/ListFilters.tsx';
import { Empty, ErrorAlert, ErrorState, Loading } from '../../components/States.tsx';
import { useCan } from '../identity/auth.tsx';

const KIND_LABELS = { campaign: 'Campaign', cost_line: 'Cost line', content_item: 'Content item', tool: 'Tool' } as const;
type Item = RandomActsReport['items'][number];
const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
const money = (n: number) => formatMoney(n, 'USD');

function linkOf(x: Item): string | null {
  if (x.kind === 'campaign') return `/campaigns/${x.id}`;
  if (x.kind === 'content_item') return `/content/${x.id}`;
  if (x.kind === 'tool') return '/plan/tools';
  return '/plan/costs';
}

function LinkSelect({ item, objectives, onLink }: { item: Item; objectives: { id: number; title: string; depth: number }[]; onLink: (objectiveId: number) => void }) {
  return (
    <select className="input select-inline" aria-label={`Link ${item.name} to an objective`} value="" onChange={(e) => e.target.value && onLink(Number(e.target.value))}>
      <option value="">Link to objective…</option>
      {objectives.map((o) => (
        <option key={o.id} value={o.id}>
          {'\u00a0\u00a0'.repeat(o.depth)}
          {o.title}
        </option>
      ))}
    </select>
  );
}

export function RandomActsPage() {
  const qc = useQueryClient();
  const can = { campaign: useCan('campaigns:manage'), tool: useCan('spend:manage'), content_item: useCan('content:write'), cost_line: false };
  const objectives = useQuery({ queryKey: ['objectives', 'options'], queryFn: listObjectiveOptions, enabled: useCan('objectives:read') });
  const link = useMutation({
    mutationFn: ({ item, objectiveId }: { item: Item; objectiveId: number }) => linkToObjective(item.kind as 'campaign' | 'tool' | 'content_item', item.id, objectiveId),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['random-acts'] });
      qc.invalidateQueries({ queryKey: ['costs'] });
      qc.invalidateQueries({ queryKey: ['tools'] });
    },
  });
  const { filters, update } = useUrlFilters();
  const year = new Date().getUTCFullYear();
  const params = { from: filters.from ?? `${year}-01`, to: filters.to ?? `${year}-12` };
  const kind = filters.kind;
  const q = useQuery({ queryKey: spendKeys.randomActs(params), queryFn: () => getRandomActs(params), placeholderData: keepPreviousData });
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorState error={q.error} retry={() => q.refetch()} />;
  const r = q.data;
  const items = kind ? r.items.filter((x) => x.kind === kind) : r.items;
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Random acts</h1>
          <p className="subtitle">Marketing that ties to no measured goal: every campaign, cost line, content item and tool linked to no objective, and what it costs. Link each to the objective it serves, or stop it.</p>
        </div>
      </div>
      <ErrorAlert error={link.error} />
      <div className="stats" data-testid="random-acts-stats">
        <div className="stat blue">
          <div className="label">Spend linked to no objective</div>
          <div className="value">{money(r.unlinkedSpend)}</div>
          <div className="stat-sub">{pct(r.unlinkedShare)} of {money(r.totalSpend)} total spend</div>
        </div>
        {(Object.keys(KIND_LABELS) as (keyof typeof KIND_LABELS)[]).map((k) => (
          <div className="stat" key={k}>
            <div className="label">{KIND_LABELS[k]}s</div>
            <div className="value">{r.counts[k]}</div>
          </div>
        ))}
      </div>
      <div className="card" style={{ marginTop: 'var(--s5)' }}>
        <div className="toolbar">
          <label className="muted small">Spend from</label>
          <input className="input select-inline" type="month" aria-label="From month" value={params.from} onChange={(e) => update({ from: e.target.value || undefined })} />
          <label className="muted small">to</label>
          <input className="input select-inline" type="month" aria-label="To month" value={params.to} onChange={(e) => update({ to: e.target.value || undefined })} />
          <select className="input select-inline" aria-label="Kind" value={kind ?? ''} onChange={(e) => update({ kind: e.target.value || undefined })}>
            <option value="">Everything</option>
            {Object.entries(KIND_LABELS).map(([k, l]) => (
              <option key={k} value={k}>
                {l}s
              </option>
            ))}
          </select>
        </div>
        {items.length === 0 ? (
          <Empty title="No random acts">Every campaign, cost line, content item and tool here serves an objective. Keep it that way: link new work to an objective when you create it.</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="random-acts-table">
              <thead>
                <tr>
                  <th>What</th>
                  <th>Name</th>
                  <th>Why it is here</th>
                  <th className="num">Spend</th>
                  <th className="num">Share of total</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {items.map((x) => (
                  <tr key={`${x.kind}-${x.id}`}>
                    <td><Badge tone={x.kind === 'cost_line' ? 'red' : 'amber'}>{KIND_LABELS[x.kind]}</Badge></td>
                    <td>{linkOf(x) ? <Link to={linkOf(x)!}>{x.name}</Link> : x.name}</td>
                    <td className="muted small">{x.why}</td>
                    <td className="num">{x.spend ? money(x.spend) : <span className="muted">—</span>}</td>
                    <td className="num">{x.share ? pct(x.share) : <span className="muted">—</span>}</td>
                    <td className="num">
                      {can[x.kind] && objectives.data?.length ? <LinkSelect item={x} objectives={objectives.data} onLink={(objectiveId) => link.mutate({ item: x, objectiveId })} /> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </>
  );
}
