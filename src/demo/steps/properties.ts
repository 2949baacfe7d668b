// Demo step: custom property definitions for contacts and accounts (the values are set by the accounts and contacts steps).
import { and, eq, inArray } from 'drizzle-orm';
import { propertyDefinitions, type PropertyObject, type PropertyType } from '../../domains/contacts/schema.ts';
import { ConflictError } from '../../errors.ts';
import { ACCOUNT_TIERS, JOB_FUNCTIONS, LEAD_SOURCES, SENIORITIES } from '../data.ts';
import type { DemoStep } from '../types.ts';

interface Def {
  objectType: PropertyObject;
  key: string;
  label: string;
  type: PropertyType;
  options?: string[];
  description: string;
}

export const DEMO_PROPERTIES: Def[] = [
  { objectType: 'contact', key: 'job_function', label: 'Job function', type: 'enum', options: [...JOB_FUNCTIONS], description: 'Department the contact works in' },
  { objectType: 'contact', key: 'seniority', label: 'Seniority', type: 'enum', options: [...SENIORITIES], description: 'Level of authority in the buying decision' },
  { objectType: 'contact', key: 'newsletter_opt_in', label: 'Newsletter opt-in', type: 'boolean', description: 'Subscribed to the newsletter' },
  { objectType: 'contact', key: 'last_event_date', label: 'Last event date', type: 'date', description: 'Last webinar or event attended' },
  { objectType: 'contact', key: 'lead_source', label: 'Lead source', type: 'enum', options: [...LEAD_SOURCES], description: 'Where the contact first came from' },
  { objectType: 'account', key: 'tier', label: 'Tier', type: 'enum', options: [...ACCOUNT_TIERS], description: 'Account tier by company size' },
  { objectType: 'account', key: 'arr', label: 'ARR', type: 'number', description: 'Annual recurring revenue (customers), in USD' },
];

export const propertiesStep: DemoStep = {
  name: 'properties',
  units: () => 1,
  async run(s) {
    const inserted = await s.tx
      .insert(propertyDefinitions)
      .values(DEMO_PROPERTIES.map((d) => ({ ...d, options: d.options ?? null })))
      .onConflictDoNothing()
      .returning({ id: propertyDefinitions.id });
    s.counts.propertyDefinitions = inserted.length;
    // Definitions that already existed must accept the demo values.
    for (const objectType of ['contact', 'account'] as const) {
      const ours = DEMO_PROPERTIES.filter((d) => d.objectType === objectType);
      const existing = await s.tx
        .select()
        .from(propertyDefinitions)
        .where(and(eq(propertyDefinitions.objectType, objectType), inArray(propertyDefinitions.key, ours.map((d) => d.key))));
      for (const have of existing) {
        const want = ours.find((d) => d.key === have.key)!;
        const missing = (want.options ?? []).filter((o) => !(have.options ?? []).includes(o));
        if (have.type !== want.type || missing.length) {
          throw new ConflictError(
            `The ${objectType} property "${have.key}" already exists as ${have.type}${have.options ? ` (${have.options.join(', ')})` : ''}; ` +
              `the demo needs ${want.type}${want.options ? ` with ${want.options.join(', ')}` : ''}. Load the demo into a fresh data directory (--data-dir).`,
            { field: have.key },
          );
        }
      }
    }
    s.tick(1);
  },
};
