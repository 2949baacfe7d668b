// What one contact read: their content_consumption rows with the items (the contact page's "Content read" card).
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../context.ts';
import type { ContactContent } from '../../contracts/content.ts';
import { NotFoundError } from '../../errors.ts';

export async function contactContent({ ctx, contactId }: { ctx: Ctx; contactId: number }): Promise<ContactContent> {
  const exists = await ctx.db.execute(sql`select 1 from contacts where id = ${contactId}`);
  if (!exists.rows.length) throw new NotFoundError('Contact', contactId);
  const res = await ctx.db.execute(sql`
    select i.id, i.title, i.stage, i.type, i.format, cc.views, cc.max_depth_pct, cc.active_seconds, cc.first_at, cc.last_at
    from content_consumption cc join content_items i on i.id = cc.item_id
    where cc.contact_id = ${contactId} order by cc.last_at desc, i.id limit 100`);
  return {
    contactId,
    items: (res.rows as Record<string, any>[]).map((r) => ({
      itemId: Number(r.id),
      title: r.title,
      stage: r.stage,
      type: r.type,
      format: r.format,
      views: Number(r.views),
      maxDepthPct: Number(r.max_depth_pct),
      activeSeconds: Number(r.active_seconds),
      firstAt: new Date(r.first_at).toISOString(),
      lastAt: new Date(r.last_at).toISOString(),
    })),
  };
}
