// Issue 6: sales can post field intel and use the library, but cannot edit content (403); viewers only read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { makeContact, makeItem } from './sales-test-helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('content permissions for sales', () => {
  it('lets sales post intel, search the library and copy a tracked link', async () => {
    const h = await t.as('sales');
    const item = await makeItem(t);
    const contact = await makeContact(t);
    expect((await t.api('POST', '/intel', { body: 'They asked about SSO', topics: ['security'] }, h)).statusCode).toBe(201);
    expect((await t.api('GET', '/library', undefined, h)).statusCode).toBe(200);
    expect((await t.api('POST', '/library/links', { itemId: item.id, contactId: contact }, h)).statusCode).toBe(201);
    expect((await t.api('GET', `/library/contacts/${contact}`, undefined, h)).statusCode).toBe(200);
    for (const url of ['/content/items', `/content/items/${item.id}`, '/content/backlog', '/content/network', '/intel/trends']) {
      expect((await t.api('GET', url, undefined, h)).statusCode, url).toBe(200);
    }
  });

  it('refuses sales every content edit (403) and changes nothing', async () => {
    const h = await t.as('sales');
    const item = await makeItem(t, { status: 'draft', title: 'Untouched draft' });
    const intel = (await t.api('POST', '/intel', { body: 'Heard about pricing', topics: ['pricing'] }, h)).json();
    const items = await t.count('content_items');
    const attempts: [('POST' | 'PATCH' | 'DELETE'), string, unknown][] = [
      ['POST', '/content/items', { title: 'Sales wrote this', type: 'practical', stage: 'awareness' }],
      ['PATCH', `/content/items/${item.id}`, { title: 'Renamed by sales' }],
      ['DELETE', `/content/items/${item.id}`, undefined],
      ['POST', `/content/items/${item.id}/transition`, { to: 'review' }],
      ['PATCH', `/content/items/${item.id}/schedule`, { date: '2027-01-15' }],
      ['POST', `/intel/${intel.id}/idea`, {}],
      ['POST', '/intel/trends/idea', { by: 'topic', key: 'pricing' }],
      ['POST', '/content/backlog/cycle', { top: 1 }],
      ['POST', '/content/smes', { name: 'Sales Expert' }],
    ];
    for (const [method, url, body] of attempts) {
      const res = await t.api(method, url, body, h);
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
    }
    expect(await t.count('content_items')).toBe(items);
    const [row] = (await t.database.pool.query('select title, status from content_items where id = $1', [item.id])).rows;
    expect(row).toEqual({ title: 'Untouched draft', status: 'draft' });
  });

  it('lets viewers read content but not post intel or use the library', async () => {
    const h = await t.as('viewer');
    expect((await t.api('GET', '/intel', undefined, h)).statusCode).toBe(200);
    expect((await t.api('GET', '/content/backlog', undefined, h)).statusCode).toBe(200);
    expect((await t.api('POST', '/intel', { body: 'Viewer heard', topics: ['x'] }, h)).statusCode).toBe(403);
    expect((await t.api('GET', '/library', undefined, h)).statusCode).toBe(403);
    expect((await t.api('POST', '/library/links', { itemId: 1, contactId: 1 }, h)).statusCode).toBe(403);
  });
});
