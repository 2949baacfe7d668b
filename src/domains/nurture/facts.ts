// What the engine knows about a batch of contacts when it evaluates conditions: lifecycle stage, properties,
// owner, stored scores (the default fit and engagement models), inferred buying stage; plus the batched
// lookups conditions need (events since a time, segment membership, unsubscribes). One query per kind of
// fact per batch, never one per contact.
import { sql, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../db/client.ts';
import type { Condition } from '../../contracts/nurture.ts';
import { segmentMembersAmong } from './segments-adapter.ts';
import { unsubscribedAmong } from './email-adapter.ts';

export interface ContactFacts {
  contactId: number;
  email: string;
  firstName: string | null;
  lastName: string | null;
  ownerId: number | null;
  stage: string;
  properties: Record<string, unknown>;
  engagement: number | null;
  fit: number | null;
  buyingStage: string | null;
}

export function idArray(ids: readonly number[]): SQL {
  return sql`${`{${ids.join(',')}}`}::bigint[]`;
}

export async function loadFacts(tx: Queryable, contactIds: readonly number[]): Promise<Map<number, ContactFacts>> {
  const out = new Map<number, ContactFacts>();
  if (!contactIds.length) return out;
  const { rows } = await tx.execute<any>(sql`
    select c.id, c.email, c.first_name, c.last_name, c.owner_id, c.lifecycle_stage, c.properties,
      (select s.score from contact_scores s join score_models m on m.id = s.model_id
        where s.contact_id = c.id and m.kind = 'engagement' and m.is_default limit 1) as engagement,
      (select s.score from contact_scores s join score_models m on m.id = s.model_id
        where s.contact_id = c.id and m.kind = 'fit' and m.is_default limit 1) as fit,
      b.stage as buying_stage
    from contacts c left join contact_buying_stages b on b.contact_id = c.id
    where c.id = any(${idArray(contactIds)})`);
  for (const r of rows) {
    out.set(Number(r.id), {
      contactId: Number(r.id),
      email: r.email,
      firstName: r.first_name,
      lastName: r.last_name,
      ownerId: r.owner_id,
      stage: r.lifecycle_stage,
      properties: r.properties ?? {},
      engagement: r.engagement === null ? null : Number(r.engagement),
      fit: r.fit === null ? null : Number(r.fit),
      buyingStage: r.buying_stage,
    });
  }
  return out;
}

/** A subject of condition evaluation: the contact and since when events count (the enrolment's entry). */
export interface Subject {
  key: number;
  contactId: number;
  since: Date;
}

function condKey(c: Condition): string {
  return JSON.stringify(c);
}

/**
 * Evaluates every condition that needs a lookup (events, segments, unsubscribes) for every subject at once;
 * returns a function answering (subject, condition) → boolean, including the fact-only conditions.
 */
export async function prepareConditions(tx: Queryable, facts: Map<number, ContactFacts>, subjects: Subject[], conditions: Condition[]): Promise<(s: Subject, c: Condition) => boolean> {
  const looked = new Map<string, Set<number>>(); // condition → subject keys (events) or contact ids (others) that match
  const seen = new Set<string>();
  const contactIds = [...new Set(subjects.map((s) => s.contactId))];
  for (const c of conditions) {
    const k = condKey(c);
    if (seen.has(k)) continue;
    seen.add(k);
    if (c.kind === 'did_event' && subjects.length) {
      const { rows } = await tx.execute<{ k: string }>(sql`
        select s.k::text as k from unnest(${idArray(subjects.map((x) => x.key))}, ${idArray(subjects.map((x) => x.contactId))},
          ${`{${subjects.map((x) => `"${x.since.toISOString()}"`).join(',')}}`}::timestamptz[]) as s(k, contact_id, since)
        where exists (select 1 from events e where e.contact_id = s.contact_id and e.event = ${c.event} and e.timestamp >= s.since)`);
      looked.set(k, new Set(rows.map((r) => Number(r.k))));
    } else if (c.kind === 'in_segment') {
      looked.set(k, await segmentMembersAmong(tx, c.segmentId, contactIds));
    } else if (c.kind === 'unsubscribed') {
      looked.set(k, await unsubscribedAmong(tx, contactIds, facts, c.topicKey));
    }
  }
  return (s, c) => {
    const f = facts.get(s.contactId);
    if (!f) return false;
    switch (c.kind) {
      case 'stage_in':
        return c.stages.includes(f.stage as never);
      case 'buying_stage_in':
        return f.buyingStage !== null && c.stages.includes(f.buyingStage as never);
      case 'score_at_least': {
        const v = c.score === 'fit' ? f.fit : f.engagement;
        return v !== null && v >= c.value;
      }
      case 'property_equals':
        return (f.properties[c.key] ?? null) === c.value;
      case 'did_event':
        return looked.get(condKey(c))?.has(s.key) ?? false;
      case 'in_segment':
      case 'unsubscribed':
        return looked.get(condKey(c))?.has(s.contactId) ?? false;
    }
  };
}
