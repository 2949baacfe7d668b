import { describe, expect, it } from 'vitest';
import { ContentMatcher, normalizeUrl, pageRefOfEvent } from './match.ts';

describe('normalizeUrl', () => {
  it('ignores scheme, host case, www, default ports, fragments and trailing slashes', () => {
    const n = normalizeUrl('https://Example.COM/blog/Post/#top');
    expect(n).toBe('example.com/blog/Post');
    for (const u of ['http://example.com/blog/Post', 'https://www.example.com:443/blog/Post/', 'HTTP://EXAMPLE.com:80/blog//Post', 'https://example.com/blog/Post/index.html'])
      expect(normalizeUrl(u)).toBe(n);
    expect(normalizeUrl('https://example.com:8443/a')).toBe('example.com:8443/a');
  });
  it('keeps path case (paths are case-sensitive) and decodes unreserved escapes only', () => {
    expect(normalizeUrl('https://example.com/Blog')).not.toBe(normalizeUrl('https://example.com/blog'));
    expect(normalizeUrl('https://example.com/%7Euser/a%2Fb')).toBe('example.com/~user/a%2Fb');
  });
  it('drops query strings except configured parameters, sorted', () => {
    expect(normalizeUrl('https://example.com/p?utm_source=x&gclid=1')).toBe('example.com/p');
    expect(normalizeUrl('https://example.com/p?utm_source=x&lang=en&id=7', ['id', 'lang'])).toBe('example.com/p?id=7&lang=en');
    expect(normalizeUrl('https://example.com/p?lang=en&id=7', ['lang', 'id'])).toBe(normalizeUrl('https://example.com/p?id=7&lang=en&x=1', ['id', 'lang']));
    expect(normalizeUrl('https://example.com/p?LANG=en', ['lang'])).toBe('example.com/p?lang=en');
    expect(normalizeUrl('https://example.com/p?lang=en', ['lang'], 'prefix')).toBe('example.com/p');
  });
  it('rejects what is not an http(s) URL', () => {
    expect(normalizeUrl('mailto:a@b.c')).toBeNull();
    expect(normalizeUrl('ftp://example.com/a')).toBeNull();
    expect(normalizeUrl('')).toBeNull();
    expect(normalizeUrl('/blog/a/')).toBe('/blog/a');
  });
});

describe('ContentMatcher', () => {
  const rules = [
    { itemId: 1, normalized: 'example.com/blog/guide', kind: 'exact' as const },
    { itemId: 2, normalized: 'example.com/webinars', kind: 'prefix' as const },
    { itemId: 3, normalized: 'example.com/webinars/2026', kind: 'prefix' as const },
    { itemId: 4, normalized: 'example.com/docs?id=9', kind: 'exact' as const },
  ];
  const m = new ContentMatcher(rules, ['id']);
  it('matches exact rules whatever the scheme, case of host, trailing slash or ignored query', () => {
    expect(m.match({ url: 'http://WWW.example.com/blog/guide/?utm_campaign=x#h' })).toBe(1);
    expect(m.match({ url: 'https://example.com/blog/guide/more' })).toBeNull();
    expect(m.match({ url: 'https://other.com/blog/guide' })).toBeNull();
  });
  it('keeps configured query parameters in the match', () => {
    expect(m.match({ url: 'https://example.com/docs?id=9&ref=nav' })).toBe(4);
    expect(m.match({ url: 'https://example.com/docs?id=8' })).toBeNull();
    expect(m.match({ url: 'https://example.com/docs' })).toBeNull();
  });
  it('matches prefix rules on segment boundaries, longest first', () => {
    expect(m.match({ url: 'https://example.com/webinars' })).toBe(2);
    expect(m.match({ url: 'https://example.com/webinars/intro?x=1' })).toBe(2);
    expect(m.match({ url: 'https://example.com/webinars/2026/q1/' })).toBe(3);
    expect(m.match({ url: 'https://example.com/webinarsfoo' })).toBeNull();
  });
  it('prefers the canonical URL, and matches a path-only page by path', () => {
    expect(m.match({ url: 'https://example.com/amp/guide', canonical: 'https://example.com/blog/guide' })).toBe(1);
    expect(m.match({ url: 'https://syndication.net/x', canonical: 'https://nowhere.com/y' })).toBeNull();
    expect(m.match({ path: '/blog/guide/' })).toBe(1);
    expect(m.match({ path: '/webinars/x' })).toBe(2);
  });
  it('reads the page of a stored event: columns, Content Read properties, canonical', () => {
    expect(pageRefOfEvent({ page_url: null, page_path: null, properties: { url: 'https://example.com/blog/guide', maxScrollPercent: 80 } })).toMatchObject({ url: 'https://example.com/blog/guide' });
    expect(pageRefOfEvent({ page_url: 'https://a.com/x', properties: { canonical: 'https://a.com/y' } })).toMatchObject({ url: 'https://a.com/x', canonical: 'https://a.com/y' });
  });
});
