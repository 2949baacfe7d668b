// Links a content item to the objective it serves (content_items.objective_id; null = a random act).
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { withTransaction, type Ctx } from '../../context.ts';
import { NotFoundError } from '../../errors.ts';
import { recordAudit } from '../identity/audit.ts';
import { contentItems } from '../content/schema.ts';
import { fieldError } from './costs.ts';
import { objectives } from './schema-objectives.ts';

const WS = 1;
export const ContentObjectiveInput = z.object({ objectiveId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).nullable() }).strict();

export async function setContentObjective({ ctx, id, input }: { ctx: Ctx; id: number; input: unknown }): Promise<{ id: number; objective: { id: number; title: string } | null }> {
  const { objectiveId } = ContentObjectiveInput.parse(input);
  return withTransaction(ctx, async (tx) => {
    const [item] = await tx.select({ id: contentItems.id, title: contentItems.title, objectiveId: contentItems.objectiveId }).from(contentItems).where(and(eq(contentItems.workspaceId, WS), eq(contentItems.id, id))).for('update');
    if (!item) throw new NotFoundError('Content item', id);
    let objective: { id: number; title: string } | null = null;
    if (objectiveId !== null) {
      const [o] = await tx.select({ id: objectives.id, title: objectives.title }).from(objectives).where(and(eq(objectives.workspaceId, WS), eq(objectives.id, objectiveId)));
      if (!o) throw fieldError('objectiveId', `objective ${objectiveId} does not exist`);
      objective = o;
    }
    if (item.objectiveId !== objectiveId) {
      await tx.update(contentItems).set({ objectiveId }).where(eq(contentItems.id, id));
      await recordAudit(tx, ctx.actor, {
        action: 'content.objective_set',
        entityType: 'content_item',
        entityId: id,
        summary: objective ? `Linked "${item.title}" to objective "${objective.title}"` : `Unlinked "${item.title}" from its objective`,
        changes: { objectiveId: { from: item.objectiveId, to: objectiveId } },
      });
    }
    return { id, objective };
  });
}
