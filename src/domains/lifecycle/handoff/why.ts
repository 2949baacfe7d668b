// The "why" shown to the rep with a new lead: the score breakdown the rule saw, the content the contact
// consumed (recent page views and tracked events), and field notes from the contact's record.
import type { Db, Tx } from '../../../db/client.ts';
import { listEvents } from '../../tracking/read.ts';

export interface ConsumedItem {
  type: string;
  name: string | null;
  path: string | null;
  title: string | null;
  at: string;
}

/** Recent page/track events of a contact, newest first (bots excluded). */
export async function consumedContent(db: Db | Tx, contactId: number, limit = 15): Promise<ConsumedItem[]> {
  const page = await listEvents({ ctx: { db: db as Db }, input: { contactId, limit: 50 } });
  return page.items
    .filter((e) => e.type === 'page' || e.type === 'track' || e.type === 'screen')
    .slice(0, limit)
    .map((e) => ({ type: e.type, name: e.event, path: e.page.path, title: e.page.title, at: e.timestamp }));
}

/** Field notes: free-text notes a rep or marketer left on the contact (custom properties named like notes). */
export function fieldNotes(properties: Record<string, unknown> | null | undefined): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(properties ?? {})) {
    if (/note/i.test(k) && typeof v === 'string' && v.trim()) out.push(v.trim());
  }
  return out;
}
