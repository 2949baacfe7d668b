// Calendar ideas created from the sales side (a field intel entry, an intel trend, "cycle the top interests"):
// a content item in status `idea`, created by the items verb (its history row and audit row) inside the
// caller's transaction, so the link back (field_intel.idea_item_id) commits with it. The origin is the first
// line of the research notes.
import type { Ctx } from '../../context.ts';
import type { Tx } from '../../db/client.ts';
import type { ContentStage, ContentType } from '../../contracts/content.ts';
import { createItem } from './items.ts';

export interface IdeaFields {
  title: string;
  summary?: string | null;
  researchNotes?: string | null;
  topics: string[];
  stage: ContentStage;
  type: ContentType;
  /** Why the idea exists ("from field intel #12"). */
  origin: string;
}

export async function createIdeaInTx(tx: Tx, ctx: Ctx, f: IdeaFields): Promise<{ id: number; title: string; status: string }> {
  const item = await createItem({
    ctx,
    tx,
    input: {
      title: f.title.slice(0, 300),
      summary: f.summary?.slice(0, 5000) ?? null,
      researchNotes: `Idea ${f.origin}.${f.researchNotes ? `\n\n${f.researchNotes}` : ''}`.slice(0, 20_000),
      topics: f.topics.slice(0, 30),
      stage: f.stage,
      type: f.type,
      format: 'article',
      status: 'idea',
      ownerId: ctx.actor.userId,
    },
  });
  return { id: item.id, title: item.title, status: item.status };
}

/** A title from the first words of a text: at most ~80 characters, cut at a word. */
export function titleFrom(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= 80) return clean;
  const cut = clean.slice(0, 80);
  const sp = cut.lastIndexOf(' ');
  return `${(sp > 40 ? cut.slice(0, sp) : cut).replace(/[\s,.;:-]+$/, '')}…`;
}
