// The Liquid variables of a message: contact (columns + custom properties), account, content item (with its
// URL), and the unsubscribe / preference links. Loaded for a batch of messages at once.
import { inArray } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { accounts, contacts } from '../contacts/schema.ts';
import { contentItems } from '../content/schema.ts';
import { itemUrls } from '../content/library.ts';

export type Vars = Record<string, unknown>;

export async function contactVars(db: Queryable, contactIds: number[]): Promise<Map<number, { contact: Vars; account: Vars | null }>> {
  const out = new Map<number, { contact: Vars; account: Vars | null }>();
  if (!contactIds.length) return out;
  const cs = await db.select().from(contacts).where(inArray(contacts.id, [...new Set(contactIds)]));
  const accIds = [...new Set(cs.map((c) => c.accountId).filter((x): x is number => x != null))];
  const accs = accIds.length ? await db.select().from(accounts).where(inArray(accounts.id, accIds)) : [];
  const accMap = new Map(accs.map((a) => [a.id, a]));
  for (const c of cs) {
    const a = c.accountId ? accMap.get(c.accountId) : undefined;
    out.set(c.id, {
      contact: { ...c.properties, id: c.id, email: c.email, first_name: c.firstName, last_name: c.lastName, title: c.title, phone: c.phone, lifecycle_stage: c.lifecycleStage },
      account: a ? { ...a.properties, id: a.id, name: a.name, domain: a.domain, industry: a.industry, employee_count: a.employeeCount, country: a.country } : null,
    });
  }
  return out;
}

export async function contentVars(db: Queryable, itemIds: number[]): Promise<Map<number, Vars>> {
  const out = new Map<number, Vars>();
  const ids = [...new Set(itemIds)];
  if (!ids.length) return out;
  const [items, urls] = await Promise.all([db.select().from(contentItems).where(inArray(contentItems.id, ids)), itemUrls(db, ids)]);
  for (const i of items) out.set(i.id, { id: i.id, title: i.title, summary: i.summary, stage: i.stage, type: i.type, format: i.format, url: urls.get(i.id) ?? null, topics: i.topics });
  return out;
}

/** Sample variables for previews without a contact. */
export const SAMPLE_CONTACT: Vars = { id: 0, email: 'jane@example.com', first_name: 'Jane', last_name: 'Doe', title: 'Head of Operations', lifecycle_stage: 'lead' };
export const SAMPLE_ACCOUNT: Vars = { id: 0, name: 'Example Corp', domain: 'example.com', industry: 'Software' };
