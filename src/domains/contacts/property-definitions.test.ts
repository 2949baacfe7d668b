import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';

let t: TestApp;
let admin: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.as('admin');
});
afterAll(() => t.close());

let n = 0;
const key = (p = 'k') => `${p}_${++n}_${Math.random().toString(36).slice(2, 6)}`;
const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers = admin) => t.api(method, url, payload, headers);
const countDefs = () => t.count('property_definitions');
const audit = (id: number) => t.auditOf('property_definition', id);

describe('createPropertyDefinition', () => {
  it('creates each type, lists them by object type, and writes audit rows', async () => {
    const keys: Record<string, string> = {};
    for (const type of ['text', 'number', 'date', 'boolean'] as const) {
      keys[type] = key(type);
      const res = await api('POST', '/properties', { objectType: 'contact', key: keys[type], label: `L ${type}`, type });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ key: keys[type], type, options: null, description: null });
      expect((await audit(res.json().id)).map((a) => a.action)).toEqual(['property.created']);
    }
    const e = await api('POST', '/properties', { objectType: 'account', key: key('tier'), label: 'Tier', type: 'enum', options: ['Gold', 'Silver'], description: 'Support tier' });
    expect(e.statusCode).toBe(201);
    expect(e.json().options).toEqual(['Gold', 'Silver']);
    const contactDefs = (await api('GET', '/properties?objectType=contact', undefined, await t.as('viewer'))).json().items;
    expect(contactDefs.every((d: { objectType: string }) => d.objectType === 'contact')).toBe(true);
    expect(contactDefs.map((d: { key: string }) => d.key)).toEqual(expect.arrayContaining(Object.values(keys)));
    const all = (await api('GET', '/properties')).json().items;
    expect(all.length).toBe(contactDefs.length + 1);
    expect((await api('GET', `/properties/${e.json().id}`)).json().key).toBe(e.json().key);
    expect((await api('GET', '/properties?objectType=deal')).statusCode).toBe(400);
  });

  it('rejects a duplicate key for the same object type with 409 but allows it for the other type', async () => {
    const k = key('dup');
    expect((await api('POST', '/properties', { objectType: 'contact', key: k, label: 'A', type: 'text' })).statusCode).toBe(201);
    const before = await countDefs();
    const dup = await api('POST', '/properties', { objectType: 'contact', key: k, label: 'B', type: 'number' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.message).toContain(k);
    expect(await countDefs()).toBe(before);
    expect((await api('POST', '/properties', { objectType: 'account', key: k, label: 'A', type: 'text' })).statusCode).toBe(201);
  });

  it('rejects bad keys, types, options and permissions with a 4xx naming the field, writing nothing', async () => {
    const before = await countDefs();
    const cases: [unknown, string][] = [
      [{ objectType: 'contact', key: 'Bad Key', label: 'x', type: 'text' }, 'key'],
      [{ objectType: 'contact', key: key(), label: 'x', type: 'json' }, 'type'],
      [{ objectType: 'deal', key: key(), label: 'x', type: 'text' }, 'objectType'],
      [{ objectType: 'contact', key: key(), label: 'x', type: 'enum' }, 'options'],
      [{ objectType: 'contact', key: key(), label: 'x', type: 'text', options: ['a'] }, 'options'],
      [{ objectType: 'contact', key: key(), label: 'x', type: 'enum', options: ['a', 'A'] }, 'options'],
      [{ objectType: 'contact', key: key(), label: '', type: 'text' }, 'label'],
    ];
    for (const [payload, field] of cases) {
      const res = await api('POST', '/properties', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.message).toContain(field);
    }
    const sales = await api('POST', '/properties', { objectType: 'contact', key: key(), label: 'x', type: 'text' }, await t.as('sales'));
    expect(sales.statusCode).toBe(403);
    expect(await countDefs()).toBe(before);
  });
});

describe('updatePropertyDefinition', () => {
  it('changes label, description and options, recording the diff', async () => {
    const def = (await api('POST', '/properties', { objectType: 'contact', key: key('stage'), label: 'Stage', type: 'enum', options: ['A', 'B'] })).json();
    const res = await api('PATCH', `/properties/${def.id}`, { label: 'Deal stage', options: ['A', 'B', 'C'], description: 'Where they are' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ label: 'Deal stage', options: ['A', 'B', 'C'], description: 'Where they are', type: 'enum', key: def.key });
    const rows = await audit(def.id);
    expect(rows[1]).toMatchObject({ action: 'property.updated', changes: { label: { from: 'Stage', to: 'Deal stage' }, options: { from: ['A', 'B'], to: ['A', 'B', 'C'] } } });
  });

  it('refuses to remove an option a contact still uses (409 naming it) and allows removing an unused one', async () => {
    const def = (await api('POST', '/properties', { objectType: 'contact', key: key('tier'), label: 'Tier', type: 'enum', options: ['Gold', 'Silver', 'Bronze'] })).json();
    await api('POST', '/contacts', { email: `${key('u')}@example.com`, properties: { [def.key]: 'Gold' } });
    const used = await api('PATCH', `/properties/${def.id}`, { options: ['Silver', 'Bronze'] });
    expect(used.statusCode).toBe(409);
    expect(used.json().error.message).toContain('Gold');
    expect(used.json().error.details).toMatchObject({ option: 'Gold' });
    expect((await api('GET', `/properties/${def.id}`)).json().options).toEqual(['Gold', 'Silver', 'Bronze']);
    const unused = await api('PATCH', `/properties/${def.id}`, { options: ['Gold', 'Silver'] });
    expect(unused.statusCode).toBe(200);
    expect(unused.json().options).toEqual(['Gold', 'Silver']);
  });

  it('rejects options on a non-enum property, unknown fields, and unknown ids', async () => {
    const def = (await api('POST', '/properties', { objectType: 'contact', key: key('t'), label: 'T', type: 'text' })).json();
    expect((await api('PATCH', `/properties/${def.id}`, { options: ['x'] })).statusCode).toBe(400);
    expect((await api('PATCH', `/properties/${def.id}`, { type: 'number' })).statusCode).toBe(400);
    expect((await api('PATCH', '/properties/999999', { label: 'x' })).statusCode).toBe(404);
    expect((await api('GET', `/properties/${def.id}`)).json()).toEqual(def);
  });
});

describe('deletePropertyDefinition', () => {
  it('deletes the definition and removes its values from every contact in the same transaction', async () => {
    const def = (await api('POST', '/properties', { objectType: 'contact', key: key('gone'), label: 'Gone', type: 'number' })).json();
    const other = (await api('POST', '/properties', { objectType: 'contact', key: key('kept'), label: 'Kept', type: 'number' })).json();
    const c = (await api('POST', '/contacts', { email: `${key('d')}@example.com`, properties: { [def.key]: 1, [other.key]: 2 } })).json();
    expect((await api('DELETE', `/properties/${def.id}`, undefined, await t.as('sales'))).statusCode).toBe(403);
    const res = await api('DELETE', `/properties/${def.id}`);
    expect(res.statusCode).toBe(204);
    expect((await api('GET', `/contacts/${c.id}`)).json().properties).toEqual({ [other.key]: 2 });
    expect((await api('GET', `/properties/${def.id}`)).statusCode).toBe(404);
    expect((await audit(def.id)).map((a) => a.action)).toEqual(['property.created', 'property.deleted']);
    expect((await audit(def.id))[1]!.changes.removedValues).toBe(1);
    // The key is free again, and old values do not come back.
    const again = (await api('POST', '/properties', { objectType: 'contact', key: def.key, label: 'Again', type: 'text' })).json();
    expect((await api('GET', `/contacts/${c.id}`)).json().properties).not.toHaveProperty(again.key);
    expect((await api('DELETE', `/properties/${def.id}`)).statusCode).toBe(404);
  });
});
