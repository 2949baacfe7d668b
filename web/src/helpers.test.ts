// Pure helpers of the web UI: error mapping, formatting, setup links, redirects, form diffs, import mapping.
import { describe, expect, it } from 'vitest';
import { ApiError, qs, toFieldErrors } from './api/client.ts';
import { formatPropertyValue, formatTotal, fullName, initials } from './components/format.ts';
import { fromFormValue } from './components/PropertyInput.tsx';
import { contactToForm, formToInput } from './features/contacts/ContactFields.tsx';
import { safeNext } from './features/identity/LoginPage.tsx';
import { tokenFromInput } from './features/identity/SetupPage.tsx';
import { fallbackTargets, guessMapping } from './features/imports/shared.tsx';
import type { Contact, PropertyDefinition } from './api/types.ts';

const def = (key: string, type: PropertyDefinition['type'], options: string[] | null = null): PropertyDefinition => ({
  id: 1,
  objectType: 'contact',
  key,
  label: key,
  type,
  options,
  description: null,
  createdAt: '2026-01-01T00:00:00.000Z',
});

describe('toFieldErrors', () => {
  it('maps request validation details to form field names', () => {
    expect(toFieldErrors([{ field: 'body.email', message: 'must be a valid email address' }, { field: 'body.properties.nps', message: 'bad' }])).toEqual({
      email: 'must be a valid email address',
      'properties.nps': 'bad',
    });
  });
  it('maps custom property issues to properties.<key>', () => {
    expect(toFieldErrors([{ key: 'tier', reason: 'tier must be one of A, B' }])).toEqual({ 'properties.tier': 'tier must be one of A, B' });
  });
  it('uses the error message for a conflict that only names its field', () => {
    const e = new ApiError(409, 'conflict', 'A contact with email a@b.co already exists', { field: 'email', id: 3 });
    expect(e.fieldErrors).toEqual({ email: 'A contact with email a@b.co already exists' });
  });
  it('ignores details without a field', () => {
    expect(toFieldErrors({ entity: 'Contact', id: 4 })).toEqual({});
    expect(toFieldErrors(undefined)).toEqual({});
  });
});

describe('formatting', () => {
  it('shows exact and capped totals', () => {
    expect(formatTotal({ count: 1234, capped: false }, 'contact')).toBe('1,234 contacts');
    expect(formatTotal({ count: 10000, capped: true }, 'contact')).toBe('10,000+ contacts');
    expect(formatTotal({ count: 1, capped: false }, 'contact')).toBe('1 contact');
  });
  it('formats names, initials and property values', () => {
    expect(fullName({ firstName: 'Ada', lastName: null })).toBe('Ada');
    expect(initials('Grace Hopper')).toBe('GH');
    expect(formatPropertyValue(true)).toBe('Yes');
    expect(formatPropertyValue(null)).toBe('—');
    expect(formatPropertyValue('2026-01-31', 'date')).toMatch(/2026/);
  });
  it('builds query strings without empty values', () => {
    expect(qs({ q: 'ada', ownerId: undefined, cursor: null, limit: 50, x: '' })).toBe('?q=ada&limit=50');
  });
});

describe('setup link and redirects', () => {
  it('accepts the whole setup link or the bare token', () => {
    expect(tokenFromInput('http://127.0.0.1:4000/setup?token=abcDEF123_-xyz')).toBe('abcDEF123_-xyz');
    expect(tokenFromInput('  abcDEF123_-xyz ')).toBe('abcDEF123_-xyz');
    expect(tokenFromInput('not a token!')).toBeNull();
    expect(tokenFromInput('')).toBeNull();
  });
  it('only follows same-app paths after sign-in', () => {
    expect(safeNext('/accounts?q=a')).toBe('/accounts?q=a');
    expect(safeNext('//evil.example/x')).toBe('/contacts');
    expect(safeNext('https://evil.example')).toBe('/contacts');
    expect(safeNext('/login')).toBe('/contacts');
    expect(safeNext(null)).toBe('/contacts');
  });
});

describe('contact form', () => {
  const contact: Contact = {
    id: 7,
    email: 'ada@acme.com',
    firstName: 'Ada',
    lastName: null,
    title: 'CTO',
    phone: null,
    lifecycleStage: 'lead',
    owner: null,
    account: { id: 2, name: 'Acme', domain: 'acme.com' },
    properties: { nps: 5, tier: 'Gold' },
    source: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
  const defs = [def('nps', 'number'), def('tier', 'enum', ['Gold', 'Silver'])];
  it('sends only what changed, clearing emptied fields with null', () => {
    const before = contactToForm(contact, defs);
    const after = { ...before, title: '', properties: { ...before.properties, nps: '9', tier: '' } };
    expect(formToInput(after, defs, before)).toEqual({ title: null, properties: { nps: 9, tier: null } });
  });
  it('sends nothing when nothing changed', () => {
    const before = contactToForm(contact, defs);
    expect(formToInput(before, defs, before)).toEqual({});
  });
  it('converts property form values by type', () => {
    expect(fromFormValue(def('b', 'boolean'), 'false')).toBe(false);
    expect(fromFormValue(def('n', 'number'), '1.5')).toBe(1.5);
    expect(fromFormValue(def('n', 'number'), 'abc')).toBe('abc');
    expect(fromFormValue(def('t', 'text'), '  ')).toBeNull();
  });
});

describe('import mapping fallback', () => {
  it('guesses targets from header names and never maps one target twice', () => {
    const targets = fallbackTargets('contacts', ['email', 'firstName', 'lastName', 'title'], [def('lead_source', 'text')]);
    expect(targets.find((t) => t.value === 'email')?.required).toBe(true);
    expect(guessMapping(['E-mail', 'Email', 'First Name', 'Lead source', 'Notes'], targets)).toEqual({
      'E-mail': 'email',
      Email: null,
      'First Name': 'firstName',
      'Lead source': 'property:lead_source',
      Notes: null,
    });
  });
});
