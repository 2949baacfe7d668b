// The sidebar navigation: a link per page the user may open, sections without a visible link left out, and
// every link leading to a route of the app.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NAV, visibleNav } from './MainNav.tsx';

describe('visibleNav', () => {
  it('shows a user without extra permissions only the CRM pages, with no empty sections', () => {
    expect(visibleNav([]).map((s) => [s.title, s.items.map((i) => i.label)])).toEqual([['CRM', ['Contacts', 'Accounts']]]);
  });

  it('shows a section as soon as one of its links is allowed, with only the allowed links', () => {
    const nav = visibleNav(['nurture:read', 'webhooks:manage']);
    expect(nav.map((s) => [s.title, s.items.map((i) => i.label)])).toEqual([
      ['CRM', ['Contacts', 'Accounts']],
      ['Marketing', ['Nurture']],
      ['Settings', ['Webhooks']],
    ]);
  });

  it('links only to routes the app has, each shown with the permission its route requires', () => {
    const app = readFileSync(new URL('../App.tsx', import.meta.url), 'utf8');
    const routes = new Map(
      [...app.matchAll(/<Route path="([^"]+)"[^\n]*/g)].map((m) => [m[1]!.replace(/^\//, ''), /RequirePermission permission="([^"]+)"/.exec(m[0])?.[1] ?? null]),
    );
    const items = NAV.flatMap((s) => s.items.map((i) => ({ ...i, permission: i.permission ?? s.permission })));
    expect(items.filter((i) => !routes.has(i.to.slice(1))).map((i) => i.to)).toEqual([]);
    const mismatched = items.filter((i) => routes.get(i.to.slice(1)) && routes.get(i.to.slice(1)) !== i.permission).map((i) => `${i.to}: ${i.permission} vs ${routes.get(i.to.slice(1))}`);
    expect(mismatched).toEqual([]);
  });
});
