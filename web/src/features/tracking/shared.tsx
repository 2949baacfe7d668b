// Pieces shared by the tracking screens: copy button, install snippets, event summaries, JSON view, per-minute chart.
import { useState } from 'react';
import type { SourceStats, TrackedEvent } from '../../api/tracking.ts';
import { Badge } from '../../components/Badge.tsx';

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="btn btn-sm"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
          setCopied(true);
          setTimeout(() => setCopied(false), 2000);
        } catch {
          // Clipboard API unavailable (plain http): the text is selectable in the box.
        }
      }}
    >
      {copied ? 'Copied' : label}
    </button>
  );
}

/** Where the tracking API lives: the origin this UI is served from. */
export const trackingHost = () => window.location.origin;

export function scriptSnippet(writeKey: string, host = trackingHost()): string {
  return `<script async src="${host}/t.js" data-write-key="${writeKey}"></script>`;
}

export function nodeSnippet(writeKey: string, host = trackingHost()): string {
  return `import { Analytics } from '@segment/analytics-node';

const analytics = new Analytics({
  writeKey: '${writeKey}',
  host: '${host}',
});
analytics.identify({ userId: '42', traits: { email: 'ada@example.com', firstName: 'Ada' } });
analytics.track({ userId: '42', event: 'Signed Up', properties: { plan: 'pro' } });`;
}

export function curlSnippet(writeKey: string, host = trackingHost()): string {
  return `curl -u '${writeKey}:' -H 'content-type: application/json' \\
  -d '{"anonymousId":"a1","event":"Viewed Pricing","properties":{"plan":"pro"}}' \\
  ${host}/v1/track`;
}

type SnippetKind = 'html' | 'node' | 'curl';

/** Install instructions for a write key. Without the key (existing sources) a placeholder is shown. */
export function InstallSnippet({ writeKey }: { writeKey?: string }) {
  const key = writeKey ?? 'rlw_YOUR_WRITE_KEY';
  const [kind, setKind] = useState<SnippetKind>('html');
  const text = kind === 'html' ? scriptSnippet(key) : kind === 'node' ? nodeSnippet(key) : curlSnippet(key);
  return (
    <div data-testid="install-snippet">
      <div className="row" style={{ marginBottom: 8 }}>
        <div className="segmented" role="tablist" aria-label="Install method">
          {(
            [
              ['html', 'Website (script tag)'],
              ['node', 'Server (analytics-node)'],
              ['curl', 'curl'],
            ] as [SnippetKind, string][]
          ).map(([k, label]) => (
            <button key={k} type="button" role="tab" aria-selected={kind === k} className={kind === k ? 'active' : ''} onClick={() => setKind(k)}>
              {label}
            </button>
          ))}
        </div>
        <span className="spacer" />
        <CopyButton text={text} label="Copy snippet" />
      </div>
      <pre className="code-block">{text}</pre>
      <p className="muted small" style={{ marginTop: 8 }}>
        {kind === 'html'
          ? 'Paste it into the <head> of every page: it sends page views, and identify calls from forms marked data-revloop-form.'
          : kind === 'node'
            ? 'Any Segment or RudderStack library works: point its host at revloop and use this write key.'
            : 'The Segment HTTP Tracking API: /v1/track, /v1/identify, /v1/page, /v1/group, /v1/alias and /v1/batch.'}
        {!writeKey && ' Replace rlw_YOUR_WRITE_KEY with the key shown when the source was created.'}
      </p>
    </div>
  );
}

const TYPE_TONES: Record<string, 'gray' | 'green' | 'red' | 'amber' | 'blue'> = {
  track: 'blue',
  identify: 'green',
  page: 'gray',
  screen: 'gray',
  group: 'amber',
  alias: 'amber',
};

export function EventTypeBadge({ type }: { type: string }) {
  return <Badge tone={TYPE_TONES[type] ?? 'gray'}>{type}</Badge>;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : null;
}

/** One line saying what the event was: the page title/URL, the track event name, the identify traits. */
export function eventSummary(e: TrackedEvent): string {
  switch (e.type) {
    case 'track':
      return e.event ?? '(no event name)';
    case 'page':
    case 'screen': {
      const name = str(e.properties?.name) ?? e.page.title;
      const where = e.page.url ?? e.page.path;
      return [name, where].filter(Boolean).join(' — ') || (e.type === 'page' ? 'Page view' : 'Screen view');
    }
    case 'identify': {
      const t = e.traits ?? {};
      const email = str(t.email);
      const name = [str(t.firstName) ?? str(t.first_name), str(t.lastName) ?? str(t.last_name)].filter(Boolean).join(' ');
      const others = Object.keys(t).filter((k) => !['email', 'firstName', 'first_name', 'lastName', 'last_name'].includes(k));
      const parts = [name, email].filter(Boolean);
      for (const k of others.slice(0, 3)) {
        const v = t[k];
        parts.push(`${k}: ${v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
      }
      if (others.length > 3) parts.push(`+${others.length - 3} more`);
      return parts.join(' · ') || 'Identify (no traits)';
    }
    case 'group':
      return `Group ${e.groupId ?? ''}${str(e.traits?.name) ? ` · ${str(e.traits?.name)}` : ''}`;
    case 'alias':
      return `${e.previousId ?? '?'} → ${e.userId ?? '?'}`;
    default:
      return e.type;
  }
}

/** Who sent it: userId, else anonymousId. */
export function eventWho(e: TrackedEvent): string {
  return e.userId ? `user ${e.userId}` : e.anonymousId ? `anon ${e.anonymousId}` : '—';
}

/** Pretty JSON as plain text (React escapes it: never rendered as HTML). */
export function JsonBlock({ value, testId }: { value: unknown; testId?: string }) {
  return (
    <pre className="code-block json" data-testid={testId}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

/** The parts of an event worth reading in the debugger. */
export function eventJson(e: TrackedEvent) {
  return {
    type: e.type,
    event: e.event,
    messageId: e.messageId,
    userId: e.userId,
    anonymousId: e.anonymousId,
    ...(e.groupId ? { groupId: e.groupId } : {}),
    ...(e.previousId ? { previousId: e.previousId } : {}),
    timestamp: e.timestamp,
    sentAt: e.sentAt,
    receivedAt: e.receivedAt,
    properties: e.properties,
    traits: e.traits,
    context: e.context,
    ip: e.ip,
    userAgent: e.userAgent,
    isBot: e.isBot,
  };
}

const timeFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const timeSecFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
export const formatTime = (iso: string) => timeSecFmt.format(new Date(iso));

/** Events per minute over the last hour as an SVG bar chart (bots stacked in amber). */
export function PerMinuteChart({ perMinute }: { perMinute: SourceStats['perMinute'] }) {
  // Drawn at about the card's pixel width so that labels keep their size.
  const W = 1000;
  const H = 180;
  const padL = 36;
  const padB = 22;
  const padT = 10;
  const max = Math.max(1, ...perMinute.map((m) => m.events + m.bots));
  const n = Math.max(1, perMinute.length);
  const bw = (W - padL) / n;
  const y = (v: number) => ((H - padB - padT) * v) / max;
  const ticks = [0, Math.round(max / 2), max].filter((v, i, a) => a.indexOf(v) === i);
  return (
    <svg className="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Events per minute over the last hour" data-testid="per-minute-chart">
      {ticks.map((t) => (
        <g key={t}>
          <line x1={padL} x2={W} y1={H - padB - y(t)} y2={H - padB - y(t)} className="chart-grid" />
          <text x={padL - 6} y={H - padB - y(t) + 4} textAnchor="end" className="chart-label">
            {t}
          </text>
        </g>
      ))}
      {perMinute.map((m, i) => {
        const x = padL + i * bw + 1;
        const w = Math.max(1, bw - 2);
        const he = y(m.events);
        const hb = y(m.bots);
        return (
          <g key={m.minute}>
            <title>{`${timeFmt.format(new Date(m.minute))}: ${m.events} events${m.bots ? `, ${m.bots} bots` : ''}`}</title>
            {he > 0 && <rect x={x} y={H - padB - he} width={w} height={he} className="chart-bar" rx={1} />}
            {hb > 0 && <rect x={x} y={H - padB - he - hb} width={w} height={hb} className="chart-bar bot" rx={1} />}
          </g>
        );
      })}
      {perMinute.length > 0 &&
        [0, Math.floor(perMinute.length / 2), perMinute.length - 1].map((i) => (
          <text key={i} x={padL + i * bw + bw / 2} y={H - 6} textAnchor={i === 0 ? 'start' : i === perMinute.length - 1 ? 'end' : 'middle'} className="chart-label">
            {timeFmt.format(new Date(perMinute[i].minute))}
          </text>
        ))}
    </svg>
  );
}
