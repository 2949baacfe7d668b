// Campaign page: its fields, the tracked touches it produced (totals, per day, by source / medium, touched
// contacts by lifecycle stage now, latest touches), and a link builder that tags a landing page with its UTM code.
import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { EChartsOption } from 'echarts';
import { ApiError } from '../../api/client.ts';
import { CHANNEL_LABELS, campaignKeys, deleteCampaign, getCampaignReport, taggedUrl, type CampaignReport } from '../../api/campaigns.ts';
import { formatMoney } from '../../api/deals.ts';
import { LIFECYCLE_LABELS } from '../../api/types.ts';
import { LifecycleBadge } from '../../components/Badge.tsx';
import { Chart } from '../../components/Chart.tsx';
import { EntityHeader } from '../../components/EntityHeader.tsx';
import { formatDate, formatDateTime, formatNumber } from '../../components/format.ts';
import { ConfirmDialog } from '../../components/Modal.tsx';
import { ErrorState, Loading, NotFoundCard } from '../../components/States.tsx';
import { useCan } from '../identity/auth.tsx';
import { CampaignForm } from './CampaignForm.tsx';
import { CampaignStatusBadge, campaignDates } from './CampaignsPage.tsx';

function TouchesChart({ report }: { report: CampaignReport }) {
  const option = useMemo<EChartsOption>(
    () => ({
      grid: { left: 40, right: 16, top: 30, bottom: 30 },
      tooltip: { trigger: 'axis' },
      legend: { top: 0, right: 0 },
      xAxis: { type: 'category', data: report.daily.map((d) => d.day.slice(5)), axisTick: { alignWithLabel: true } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: 'Touches', type: 'bar', data: report.daily.map((d) => d.touches), barMaxWidth: 18 },
        { name: 'Visitors', type: 'line', data: report.daily.map((d) => d.visitors), symbol: 'none', smooth: true },
      ],
    }),
    [report],
  );
  return <Chart option={option} height={240} label={`Touches per day from ${report.from} to ${report.to}`} testId="campaign-touches-chart" />;
}

function LinkBuilder({ utmCampaign }: { utmCampaign: string }) {
  const [base, setBase] = useState('https://');
  const [source, setSource] = useState('linkedin');
  const [medium, setMedium] = useState('paid_social');
  const url = taggedUrl(base, utmCampaign, source, medium);
  const [copied, setCopied] = useState(false);
  return (
    <div className="card">
      <div className="card-header">
        <h2>Tagged link</h2>
      </div>
      <div className="card-body">
        <p className="muted small" style={{ marginTop: 0 }}>
          Visits through this link are tracked as touches of this campaign (the revloop tracker must be on the landing page).
        </p>
        <div className="field">
          <label htmlFor="lb-url">Landing page</label>
          <input id="lb-url" className="input" value={base} onChange={(e) => setBase(e.target.value)} placeholder="https://www.example.com/offer" />
        </div>
        <div className="form-row">
          <div className="field">
            <label htmlFor="lb-source">utm_source</label>
            <input id="lb-source" className="input" value={source} onChange={(e) => setSource(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="lb-medium">utm_medium</label>
            <input id="lb-medium" className="input" value={medium} onChange={(e) => setMedium(e.target.value)} />
          </div>
        </div>
        {url && base.trim() !== 'https://' ? (
          <div className="secret" data-testid="tagged-url">
            <code>{url}</code>
            <button
              className="btn btn-sm"
              type="button"
              onClick={() => {
                void navigator.clipboard?.writeText(url);
                setCopied(true);
                setTimeout(() => setCopied(false), 1500);
              }}
            >
              {copied ? 'Copied' : 'Copy'}
            </button>
          </div>
        ) : (
          <p className="muted small">Enter the full address of a landing page (http or https).</p>
        )}
      </div>
    </div>
  );
}

export function CampaignDetailPage() {
  const id = Number(useParams().id);
  const navigate = useNavigate();
  const qc = useQueryClient();
  const canManage = useCan('campaigns:manage');
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const valid = Number.isInteger(id) && id > 0;
  const report = useQuery({ queryKey: campaignKeys.report(id, {}), queryFn: () => getCampaignReport(id, {}), enabled: valid });
  if (!valid || (report.error instanceof ApiError && report.error.status === 404)) {
    return (
      <NotFoundCard title="Campaign not found" backTo="/campaigns" backLabel="Back to campaigns">
        It may have been deleted, or the link is wrong.
      </NotFoundCard>
    );
  }
  if (report.isPending) return <Loading label="Loading campaign…" />;
  if (report.isError) return <ErrorState error={report.error} retry={() => report.refetch()} title="Could not load this campaign" />;
  const r = report.data;
  const c = r.campaign;
  const inWindow = r.daily.reduce((s, d) => s + d.touches, 0);
  const known = r.stages.reduce((s, x) => s + x.contacts, 0);
  return (
    <>
      <EntityHeader listTo="/campaigns" listLabel="Campaigns" name={c.name} nameTestId="campaign-name" square onDelete={canManage ? () => setDeleting(true) : undefined}>
        <CampaignStatusBadge status={c.status} />
        <span className="sep">•</span>
        <span>{CHANNEL_LABELS[c.channel]}</span>
        <span className="sep">•</span>
        <span className="mono">utm_campaign={c.utmCampaign}</span>
        <span className="sep">•</span>
        <span>Owner: {c.owner?.name ?? 'Unassigned'}</span>
        <span className="sep">•</span>
        {c.objective ? (
          <span data-testid="campaign-objective">
            Objective: <Link to={`/objectives/${c.objective.id}`}>{c.objective.title}</Link>
            {c.initiative ? ` · ${c.initiative.name}` : ''}
          </span>
        ) : (
          <span className="muted">No objective (a random act)</span>
        )}
      </EntityHeader>
      <div className="stats" data-testid="campaign-stats">
        <div className="stat blue">
          <div className="label">Touches (all time)</div>
          <div className="value">{formatNumber(c.stats.touches)}</div>
        </div>
        <div className="stat">
          <div className="label">Visitors</div>
          <div className="value">{formatNumber(c.stats.visitors)}</div>
        </div>
        <div className="stat">
          <div className="label">Known contacts</div>
          <div className="value">{formatNumber(c.stats.contacts)}</div>
        </div>
        <div className="stat">
          <div className="label">Budget</div>
          <div className="value">{c.budget == null ? '—' : formatMoney(c.budget, c.currency)}</div>
        </div>
      </div>
      <div className="card" style={{ marginTop: 'var(--s5)' }}>
        <div className="card-header">
          <h2>Touches per day</h2>
          <span className="muted small">
            {formatDate(`${r.from}T00:00:00Z`)} – {formatDate(`${r.to}T00:00:00Z`)}: {formatNumber(inWindow)} touches
          </span>
        </div>
        <div className="card-body">
          {c.stats.touches === 0 ? (
            <p className="muted">No tracked visit has carried utm_campaign={c.utmCampaign} yet. Build a tagged link below and use it in your ads, emails and posts.</p>
          ) : (
            <TouchesChart report={r} />
          )}
        </div>
      </div>
      <div className="detail-grid" style={{ marginTop: 'var(--s5)' }}>
        <div className="card">
          <div className="card-header">
            <h2>Campaign</h2>
            {canManage && (
              <button className="btn btn-sm" onClick={() => setEditing(true)}>
                Edit
              </button>
            )}
          </div>
          <div className="card-body">
            <dl className="props" data-testid="campaign-properties">
              <dt>Dates</dt>
              <dd>{campaignDates(c)}</dd>
              <dt>Channel</dt>
              <dd>{CHANNEL_LABELS[c.channel]}</dd>
              <dt>UTM code</dt>
              <dd className="mono">{c.utmCampaign}</dd>
              <dt>First touch</dt>
              <dd>{c.stats.firstTouchAt ? formatDateTime(c.stats.firstTouchAt) : <span className="muted">—</span>}</dd>
              <dt>Last touch</dt>
              <dd>{c.stats.lastTouchAt ? formatDateTime(c.stats.lastTouchAt) : <span className="muted">—</span>}</dd>
              <dt>Description</dt>
              <dd>{c.description ?? <span className="muted">—</span>}</dd>
              <dt>Created</dt>
              <dd>{formatDateTime(c.createdAt)}</dd>
            </dl>
          </div>
        </div>
        <LinkBuilder utmCampaign={c.utmCampaign} />
        <div className="card">
          <div className="card-header">
            <h2>Sources</h2>
            <span className="muted small">utm_source / utm_medium in the window</span>
          </div>
          {r.sources.length === 0 ? (
            <div className="card-body muted">No touches in this window.</div>
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="campaign-sources">
                <thead>
                  <tr>
                    <th>Source</th>
                    <th>Medium</th>
                    <th className="num">Touches</th>
                    <th className="num">Visitors</th>
                  </tr>
                </thead>
                <tbody>
                  {r.sources.map((s) => (
                    <tr key={`${s.source}/${s.medium}`}>
                      <td>{s.source ?? <span className="muted">(none)</span>}</td>
                      <td>{s.medium ?? <span className="muted">(none)</span>}</td>
                      <td className="num">{formatNumber(s.touches)}</td>
                      <td className="num">{formatNumber(s.visitors)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
        <div className="card">
          <div className="card-header">
            <h2>Where the touched contacts are now</h2>
          </div>
          {known === 0 ? (
            <div className="card-body muted">No known contact touched yet: visitors become contacts when they identify (a form, a sign-up).</div>
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="campaign-stages">
                <thead>
                  <tr>
                    <th>Lifecycle stage</th>
                    <th className="num">Contacts</th>
                    <th className="num">Share</th>
                  </tr>
                </thead>
                <tbody>
                  {r.stages.map((s) => (
                    <tr key={s.stage}>
                      <td>
                        <Link to={`/contacts?lifecycleStage=${s.stage}`} title={`All ${LIFECYCLE_LABELS[s.stage]} contacts`}>
                          <LifecycleBadge stage={s.stage} />
                        </Link>
                      </td>
                      <td className="num">{formatNumber(s.contacts)}</td>
                      <td className="num">{Math.round((s.contacts / known) * 100)}%</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      </div>
      <div className="card" style={{ marginTop: 'var(--s5)' }}>
        <div className="card-header">
          <h2>Latest touches</h2>
        </div>
        {r.recent.length === 0 ? (
          <div className="card-body muted">None yet.</div>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="campaign-recent">
              <thead>
                <tr>
                  <th>When</th>
                  <th>Who</th>
                  <th>What</th>
                  <th>Page</th>
                  <th>Source / medium</th>
                </tr>
              </thead>
              <tbody>
                {r.recent.map((e) => (
                  <tr key={e.eventId}>
                    <td className="small">{formatDateTime(e.timestamp)}</td>
                    <td>
                      {e.contact ? (
                        <Link className="primary" to={`/contacts/${e.contact.id}`}>
                          {e.contact.name ?? e.contact.email}
                        </Link>
                      ) : (
                        <span className="muted">Anonymous visitor</span>
                      )}
                    </td>
                    <td>{e.type === 'track' ? e.event : e.type === 'page' ? 'Page view' : e.type}</td>
                    <td className="mono small">{e.pagePath ?? '—'}</td>
                    <td className="small">{[e.utmSource, e.utmMedium].filter(Boolean).join(' / ') || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      {editing && <CampaignForm campaign={c} onClose={() => setEditing(false)} onSaved={() => { setEditing(false); qc.invalidateQueries({ queryKey: ['campaign', c.id] }); }} />}
      {deleting && (
        <ConfirmDialog
          title="Delete this campaign?"
          confirmLabel="Delete campaign"
          onClose={() => setDeleting(false)}
          onConfirm={async () => {
            await deleteCampaign(c.id);
            qc.removeQueries({ queryKey: ['campaign', c.id] });
            qc.invalidateQueries({ queryKey: ['campaigns'] });
            navigate('/campaigns', { replace: true });
          }}
        >
          <strong>{c.name}</strong> will be deleted. Its tracked touches stay in the events and its UTM code shows up again under “UTM codes without a campaign”.
        </ConfirmDialog>
      )}
    </>
  );
}
