// Pure helpers of the tracking screens: event summaries and install snippets.
import { describe, expect, it } from 'vitest';
import type { TrackedEvent } from '../../api/tracking.ts';
import { curlSnippet, eventSummary, eventWho, nodeSnippet, scriptSnippet } from './shared.tsx';

const base: TrackedEvent = {
  id: 1,
  sourceId: 1,
  messageId: 'm1',
  type: 'track',
  event: null,
  contactId: null,
  anonymousId: 'a1',
  userId: null,
  groupId: null,
  previousId: null,
  timestamp: '2026-01-01T00:00:00.000Z',
  receivedAt: '2026-01-01T00:00:00.000Z',
  sentAt: null,
  properties: null,
  traits: null,
  context: null,
  ip: null,
  userAgent: null,
  page: { url: null, path: null, referrer: null, title: null },
  campaign: { name: null, source: null, medium: null, term: null, content: null, linked: null },
  isBot: false,
};
const ev = (over: Partial<TrackedEvent>): TrackedEvent => ({ ...base, ...over });

describe('eventSummary', () => {
  it('shows the event name of a track call', () => {
    expect(eventSummary(ev({ event: 'Viewed Pricing' }))).toBe('Viewed Pricing');
  });
  it('shows the page title and URL of a page view', () => {
    expect(eventSummary(ev({ type: 'page', page: { url: 'https://acme.test/pricing', path: '/pricing', referrer: null, title: 'Pricing' } }))).toBe(
      'Pricing — https://acme.test/pricing',
    );
    expect(eventSummary(ev({ type: 'page' }))).toBe('Page view');
  });
  it('summarises identify traits: name, email, then the other traits', () => {
    const traits = { email: 'ada@example.com', first_name: 'Ada', lastName: 'Lovelace', plan: 'pro', seats: 3, tags: ['a'], extra: 1, more: 2 };
    expect(eventSummary(ev({ type: 'identify', traits }))).toBe('Ada Lovelace · ada@example.com · plan: pro · seats: 3 · tags: ["a"] · +2 more');
    expect(eventSummary(ev({ type: 'identify', traits: {} }))).toBe('Identify (no traits)');
  });
  it('shows alias and group ids', () => {
    expect(eventSummary(ev({ type: 'alias', previousId: 'anon', userId: '42' }))).toBe('anon → 42');
    expect(eventSummary(ev({ type: 'group', groupId: 'g1', traits: { name: 'Acme' } }))).toBe('Group g1 · Acme');
  });
});

describe('eventWho', () => {
  it('prefers the userId over the anonymousId', () => {
    expect(eventWho(ev({ userId: '42' }))).toBe('user 42');
    expect(eventWho(ev({}))).toBe('anon a1');
  });
});

describe('install snippets', () => {
  const host = 'https://revloop.example.com';
  it('carry the write key and host', () => {
    expect(scriptSnippet('rlw_x', host)).toBe('<script async src="https://revloop.example.com/t.js" data-write-key="rlw_x"></script>');
    expect(nodeSnippet('rlw_x', host)).toContain("writeKey: 'rlw_x'");
    expect(nodeSnippet('rlw_x', host)).toContain(`host: '${host}'`);
    expect(curlSnippet('rlw_x', host)).toContain(`curl -u 'rlw_x:'`);
    expect(curlSnippet('rlw_x', host)).toContain(`${host}/v1/track`);
  });
});
