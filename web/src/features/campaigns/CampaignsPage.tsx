// Campaigns: the list with touch totals (status / channel filters, search), "New campaign", and the UTM codes
// tracked visits carry that no campaign claims yet (one click creates the campaign for a code).
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { CAMPAIGN_CHANNELS, CAMPAIGN_STATUSES, CHANNEL_LABELS, STATUS_LABELS, STATUS_TONES, campaignKeys, listCampaigns, listUnmatchedUtms, type Campaign } from '../../api/campaigns.ts';
import { formatMoney } from '../../api/deals.ts';
import { Badge } from '../../components/Badge.tsx';
import { formatDate, formatNumber, formatRelative } from '../../components/format.ts';
import { IconPlus, IconSearch } from '../../components/icons.tsx';
import { SearchInput, useUrlFilters } from '../../components/ListFilters.tsx';
import { Empty, ListStates } from '../../components/States.tsx';
import { useSearchBox } from '../../components/useSearchBox.ts';
import { useCan } from '../identity/auth.tsx';
import { CampaignForm } from './CampaignForm.tsx';

export function CampaignStatusBadge({ status }: { status: Campaign['status'] }) {
  return <Badge tone={STATUS_TONES[status]}>{STATUS_LABELS[status]}</Badge>;
}

export function campaignDates(c: Pick<Campaign, 'startDate' | 'endDate'>): string {
  const d = (s: string) => formatDate(`${s}T00:00:00Z`);
  if (c.startDate && c.endDate) return `${d(c.startDate)} – ${d(c.endDate)}`;
  if (c.startDate) return `from ${d(c.startDate)}`;
  if (c.endDate) return `until ${d(c.endDate)}`;
  return '—';
}

function UnmatchedUtms({ canManage, onCreate }: { canManage: boolean; onCreate: (code: string) => void }) {
  const q = useQuery({ queryKey: campaignKeys.unmatched, queryFn: listUnmatchedUtms });
  if (!q.data?.items.length) return null;
  return (
    <div className="card" style={{ marginTop: 'var(--s5)' }} data-testid="unmatched-utms">
      <div className="card-header">
        <h2>UTM codes without a campaign</h2>
      </div>
      <div className="card-body muted small">
        Tracked visits in the last {q.data.days} days carried these utm_campaign values, but no campaign has them, so their touches count for no campaign yet.
      </div>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th>utm_campaign</th>
              <th className="num">Touches</th>
              <th className="num">Visitors</th>
              <th>Last touch</th>
              {canManage && <th />}
            </tr>
          </thead>
          <tbody>
            {q.data.items.map((u) => (
              <tr key={u.utmCampaign}>
                <td className="mono">{u.utmCampaign}</td>
                <td className="num">{formatNumber(u.touches)}</td>
                <td className="num">{formatNumber(u.visitors)}</td>
                <td>{formatRelative(u.lastTouchAt)}</td>
                {canManage && (
                  <td className="num">
                    <button className="btn btn-sm" onClick={() => onCreate(u.utmCampaign)}>
                      Create campaign
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export function CampaignsPage() {
  const { setParams, filters, update } = useUrlFilters();
  const navigate = useNavigate();
  const canManage = useCan('campaigns:manage');
  const [creating, setCreating] = useState<{ utmCampaign: string } | true | null>(null);
  const [q, setQ] = useSearchBox(filters.q ?? '', (v) => update({ q: v || undefined }));
  const params = { q: filters.q, status: filters.status, channel: filters.channel };
  const list = useQuery({ queryKey: campaignKeys.list(params), queryFn: () => listCampaigns(params), placeholderData: keepPreviousData });
  const hasFilters = Boolean(filters.q || filters.status || filters.channel);
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Campaigns</h1>
          <p className="subtitle">Every campaign with the UTM code its links carry, and the tracked touches it produced.</p>
        </div>
        <div className="actions">
          {canManage && (
            <button className="btn btn-primary" onClick={() => setCreating(true)}>
              <IconPlus /> New campaign
            </button>
          )}
        </div>
      </div>
      <div className="card">
        <div className="toolbar">
          <SearchInput placeholder="Search by name or UTM code" label="Search campaigns" value={q} onChange={setQ} />
          <select className="input select-inline" aria-label="Status" value={filters.status ?? ''} onChange={(e) => update({ status: e.target.value || undefined })}>
            <option value="">All statuses</option>
            {CAMPAIGN_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
          <select className="input select-inline" aria-label="Channel" value={filters.channel ?? ''} onChange={(e) => update({ channel: e.target.value || undefined })}>
            <option value="">All channels</option>
            {CAMPAIGN_CHANNELS.map((c) => (
              <option key={c} value={c}>
                {CHANNEL_LABELS[c]}
              </option>
            ))}
          </select>
          <div className="spacer" />
          {list.data && <span className="muted small">{formatNumber(list.data.total)} {list.data.total === 1 ? 'campaign' : 'campaigns'}</span>}
        </div>
        <ListStates
          query={list}
          loading="Loading campaigns…"
          errorTitle="Could not load campaigns"
          empty={
            hasFilters ? (
              <Empty title="No campaigns match" icon={<IconSearch />} actions={<button className="btn" onClick={() => setParams({}, { replace: true })}>Clear filters</button>} />
            ) : (
              <Empty title="No campaigns yet" actions={canManage ? <button className="btn btn-primary" onClick={() => setCreating(true)}>New campaign</button> : undefined}>
                A campaign names a utm_campaign code. Tag your links with it (the campaign page builds them) and every tracked visit through them becomes a touch of the campaign.
              </Empty>
            )
          }
        >
          {(data) => (
            <div className="table-wrap">
              <table className="table" data-testid="campaigns-table" style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}>
                <thead>
                  <tr>
                    <th>Campaign</th>
                    <th>Status</th>
                    <th>Channel</th>
                    <th>Dates</th>
                    <th className="num">Budget</th>
                    <th className="num">Touches</th>
                    <th className="num">Contacts</th>
                    <th>Last touch</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((c) => (
                    <tr key={c.id}>
                      <td>
                        <Link className="primary" to={`/campaigns/${c.id}`}>
                          {c.name}
                        </Link>
                        <div className="muted small mono">{c.utmCampaign}</div>
                      </td>
                      <td>
                        <CampaignStatusBadge status={c.status} />
                      </td>
                      <td>{CHANNEL_LABELS[c.channel]}</td>
                      <td className="small">{campaignDates(c)}</td>
                      <td className="num">{c.budget == null ? <span className="muted">—</span> : formatMoney(c.budget, c.currency)}</td>
                      <td className="num">{formatNumber(c.stats.touches)}</td>
                      <td className="num">{formatNumber(c.stats.contacts)}</td>
                      <td>{c.stats.lastTouchAt ? formatRelative(c.stats.lastTouchAt) : <span className="muted">never</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </ListStates>
      </div>
      <UnmatchedUtms canManage={canManage} onCreate={(utmCampaign) => setCreating({ utmCampaign })} />
      {creating && (
        <CampaignForm preset={creating === true ? undefined : creating} onClose={() => setCreating(null)} onSaved={(c) => navigate(`/campaigns/${c.id}`)} />
      )}
    </>
  );
}
