// Mapping CSV headers to import targets: the targets offered per object type, the suggested mapping
// (header names matched case/space/punctuation-insensitively) and validation of a user's mapping.
import { ACCOUNT_IMPORT_FIELDS, CONTACT_IMPORT_FIELDS } from '../../../contracts/imports.ts';
import { ValidationError } from '../../../errors.ts';
import type { PropertyDefinition } from '../schema.ts';

export type ImportObjectType = 'contacts' | 'accounts';
export type PropertyDef = Pick<PropertyDefinition, 'key' | 'label' | 'type' | 'options'>;

const LABELS: Record<string, string> = {
  email: 'Email',
  firstName: 'First name',
  lastName: 'Last name',
  title: 'Job title',
  phone: 'Phone',
  lifecycleStage: 'Lifecycle stage',
  ownerEmail: 'Owner (user email)',
  accountName: 'Company name',
  accountDomain: 'Company domain',
  name: 'Name',
  domain: 'Domain',
  industry: 'Industry',
  employeeCount: 'Employees',
  country: 'Country',
};

/** Header spellings (normalized: lower-case letters and digits only) that suggest a target. */
const SYNONYMS: Record<ImportObjectType, Record<string, string>> = {
  contacts: {
    email: 'email', emailaddress: 'email', mail: 'email', workemail: 'email', businessemail: 'email', contactemail: 'email',
    firstname: 'firstName', first: 'firstName', givenname: 'firstName', forename: 'firstName', fname: 'firstName',
    lastname: 'lastName', last: 'lastName', surname: 'lastName', familyname: 'lastName', lname: 'lastName',
    title: 'title', jobtitle: 'title', position: 'title', role: 'title', jobrole: 'title',
    phone: 'phone', phonenumber: 'phone', telephone: 'phone', tel: 'phone', mobile: 'phone', mobilephone: 'phone', workphone: 'phone',
    lifecyclestage: 'lifecycleStage', lifecycle: 'lifecycleStage', stage: 'lifecycleStage',
    owner: 'ownerEmail', owneremail: 'ownerEmail', contactowner: 'ownerEmail',
    company: 'accountName', companyname: 'accountName', account: 'accountName', accountname: 'accountName', organization: 'accountName', organisation: 'accountName',
    companydomain: 'accountDomain', domain: 'accountDomain', website: 'accountDomain', companywebsite: 'accountDomain', accountdomain: 'accountDomain', url: 'accountDomain',
  },
  accounts: {
    name: 'name', company: 'name', companyname: 'name', account: 'name', accountname: 'name', organization: 'name', organisation: 'name',
    domain: 'domain', companydomain: 'domain', website: 'domain', url: 'domain', web: 'domain',
    industry: 'industry', sector: 'industry',
    employees: 'employeeCount', employeecount: 'employeeCount', numberofemployees: 'employeeCount', headcount: 'employeeCount', companysize: 'employeeCount',
    country: 'country', countryregion: 'country',
    owner: 'ownerEmail', owneremail: 'ownerEmail', accountowner: 'ownerEmail',
  },
};

export const normalizeHeader = (h: string): string => h.toLowerCase().replace(/[^a-z0-9]/g, '');

export function baseFields(objectType: ImportObjectType): readonly string[] {
  return objectType === 'contacts' ? CONTACT_IMPORT_FIELDS : ACCOUNT_IMPORT_FIELDS;
}

export function importTargets(objectType: ImportObjectType, props: readonly PropertyDef[]) {
  const fields = baseFields(objectType).map((f) => ({
    value: f,
    label: LABELS[f] ?? f,
    required: objectType === 'contacts' ? f === 'email' : false,
  }));
  return [...fields, ...props.map((p) => ({ value: `property:${p.key}`, label: `${p.label} (custom property)`, required: false }))];
}

/** Headers → suggested target; each target is suggested at most once (first matching header wins). */
export function suggestMapping(objectType: ImportObjectType, headers: readonly string[], props: readonly PropertyDef[]): Record<string, string | null> {
  const byName = new Map<string, string>();
  for (const f of baseFields(objectType)) byName.set(normalizeHeader(f), f);
  for (const [syn, f] of Object.entries(SYNONYMS[objectType])) byName.set(syn, f);
  for (const p of props) {
    byName.set(normalizeHeader(p.key), `property:${p.key}`);
    byName.set(normalizeHeader(p.label), `property:${p.key}`);
  }
  const used = new Set<string>();
  const out: Record<string, string | null> = {};
  for (const h of headers) {
    const target = byName.get(normalizeHeader(h));
    if (target && !used.has(target)) {
      used.add(target);
      out[h] = target;
    } else out[h] = null;
  }
  return out;
}

/** Checks a mapping the user confirmed; throws ValidationError naming the problem. Returns the mapping with every header present. */
export function validateMapping(
  objectType: ImportObjectType,
  headers: readonly string[],
  mapping: Record<string, string | null>,
  props: readonly PropertyDef[],
): Record<string, string | null> {
  const headerSet = new Set(headers);
  const fields = new Set(baseFields(objectType));
  const propKeys = new Set(props.map((p) => p.key));
  const issues: { field: string; message: string }[] = [];
  const seen = new Map<string, string>();
  for (const [header, target] of Object.entries(mapping)) {
    if (!headerSet.has(header)) {
      issues.push({ field: `mapping.${header}`, message: `"${header}" is not a column of the file (columns: ${headers.join(', ')})` });
      continue;
    }
    if (target === null) continue;
    if (target.startsWith('property:')) {
      const key = target.slice('property:'.length);
      if (!propKeys.has(key)) {
        issues.push({ field: `mapping.${header}`, message: `unknown ${objectType === 'contacts' ? 'contact' : 'account'} property "${key}"; define it under Settings → Properties first` });
        continue;
      }
    } else if (!fields.has(target)) {
      issues.push({ field: `mapping.${header}`, message: `"${target}" is not a ${objectType} field (one of ${[...fields].join(', ')} or property:<key>)` });
      continue;
    }
    const previous = seen.get(target);
    if (previous !== undefined) {
      issues.push({ field: `mapping.${header}`, message: `"${target}" is already mapped from "${previous}"; map each field from one column only` });
      continue;
    }
    seen.set(target, header);
  }
  if (objectType === 'contacts' && !seen.has('email')) {
    issues.push({ field: 'mapping', message: 'map one column to email: contacts are matched by email' });
  }
  if (objectType === 'accounts' && !seen.has('name') && !seen.has('domain')) {
    issues.push({ field: 'mapping', message: 'map a column to name or domain: accounts need a name or a domain' });
  }
  if (issues.length > 0) {
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    throw new ValidationError(`${issues[0]!.field}: ${issues[0]!.message}${more}`, issues);
  }
  const full: Record<string, string | null> = {};
  for (const h of headers) full[h] = mapping[h] ?? null;
  return full;
}
