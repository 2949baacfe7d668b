// Calendar ideas created from the sales side (a field intel entry, an intel trend, "cycle the top interests"):
// a content item in status `idea`, its first workflow history row and its audit row, inside the caller's
// transaction so the link back (field_intel.idea_item_id) commits with it.
import type { Actor } from '../../context.ts';
import type { Tx } from '../../db/client.ts';
import type { ContentStage, ContentType } from '../../contracts/content.ts';
import { recordAudit } from '../identity/audit.ts';
import { contentItems, contentWorkflowHistory } from './schema.ts';

export interface IdeaFields {
  title: string;
  summary?: string | null;
  researchNotes?: string | null;
  topics: string[];
  stage: ContentStage;
  type: ContentType;
  /** Why the idea exists, for the audit summary ("from field intel #12"). */
  origin: string;
}

const WS = 1;

export async function createIdeaInTx(tx: Tx, actor: Actor, f: IdeaFields): Promise<{ id: number; title: string; status: string }> {
  const [row] = await tx
    .insert(contentItems)
    .values({
      workspaceId: WS,
      title: f.title,
      summary: f.summary ?? null,
      researchNotes: f.researchNotes ?? null,
      topics: f.topics,
      stage: f.stage,
      type: f.type,
      format: 'article',
      status: 'idea',
      ownerId: actor.userId,
      createdBy: actor.userId,
    })
    .returning({ id: contentItems.id, title: contentItems.title, status: contentItems.status });
  await tx.insert(contentWorkflowHistory).values({
    workspaceId: WS,
    itemId: row!.id,
    fromStatus: null,
    toStatus: 'idea',
    note: f.origin,
    actorId: actor.userId,
    actorLabel: actor.label,
  });
  await recordAudit(tx, actor, {
    action: 'content.created',
    entityType: 'content_item',
    entityId: row!.id,
    summary: `Idea "${f.title}" added to the calendar (${f.origin})`,
    changes: { title: f.title, status: 'idea', stage: f.stage, type: f.type, topics: f.topics, origin: f.origin },
  });
  return row!;
}

/** A title from the first words of a text: at most ~80 characters, cut at a word. */
export function titleFrom(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= 80) return clean;
  const cut = clean.slice(0, 80);
  const sp = cut.lastIndexOf(' ');
  return `${(sp > 40 ? cut.slice(0, sp) : cut).replace(/[\s,.;:-]+$/, '')}…`;
}
