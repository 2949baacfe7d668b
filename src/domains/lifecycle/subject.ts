// Loads contacts with their account in the shape conditions match against (handoff points, territories).
import { eq, inArray } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import { accounts, contacts } from '../contacts/schema.ts';
import type { MatchSubject } from './match.ts';

export type ContactSubject = MatchSubject & {
  id: number;
  workspaceId: number;
  phone: string | null;
  ownerId: number | null;
  accountId: number | null;
  createdAt: Date;
};

export async function loadSubjects(db: Queryable, contactIds: number[]): Promise<Map<number, ContactSubject>> {
  const out = new Map<number, ContactSubject>();
  if (!contactIds.length) return out;
  const rows = await db
    .select({ c: contacts, a: accounts })
    .from(contacts)
    .leftJoin(accounts, eq(accounts.id, contacts.accountId))
    .where(inArray(contacts.id, contactIds));
  for (const { c, a } of rows) {
    out.set(c.id, {
      id: c.id,
      workspaceId: c.workspaceId,
      email: c.email,
      title: c.title,
      source: c.source,
      lifecycleStage: c.lifecycleStage,
      firstName: c.firstName,
      lastName: c.lastName,
      phone: c.phone,
      ownerId: c.ownerId,
      accountId: c.accountId,
      createdAt: c.createdAt,
      properties: c.properties ?? {},
      account: a
        ? { name: a.name, domain: a.domain, industry: a.industry, employeeCount: a.employeeCount, country: a.country, properties: a.properties ?? {} }
        : null,
    });
  }
  return out;
}
