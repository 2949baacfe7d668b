// The thought-leadership network screen: SMEs with their expertise topics, the items they contributed to (and
// how many readers those reached), and the topics nobody in the network covers yet (where to recruit).
import { eq, inArray, sql } from 'drizzle-orm';
import type { Ctx } from '../../context.ts';
import type { Network } from '../../contracts/content-sales.ts';
import { users } from '../identity/schema.ts';
import { contentItems, contentItemSmes, contentSmes } from './schema.ts';

const WS = 1;

export async function smeNetwork({ ctx }: { ctx: Ctx }): Promise<Network> {
  const smes = await ctx.db.select().from(contentSmes).where(eq(contentSmes.workspaceId, WS)).orderBy(contentSmes.name);
  const ids = smes.map((s) => s.id);
  const userIds = [...new Set(smes.map((s) => s.userId).filter((x): x is number => x !== null))];
  const [contribs, us, reach, uncovered] = await Promise.all([
    ids.length
      ? ctx.db
          .select({ smeId: contentItemSmes.smeId, role: contentItemSmes.role, id: contentItems.id, title: contentItems.title, status: contentItems.status, stage: contentItems.stage })
          .from(contentItemSmes)
          .innerJoin(contentItems, eq(contentItems.id, contentItemSmes.itemId))
          .where(inArray(contentItemSmes.smeId, ids))
          .orderBy(contentItems.id)
      : [],
    userIds.length ? ctx.db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(inArray(users.id, userIds)) : [],
    ctx.db.execute(sql`
      select s.sme_id, count(distinct cc.contact_id)::int as readers
      from content_item_smes s join content_consumption cc on cc.item_id = s.item_id
      where cc.last_at >= now() - interval '90 days' group by 1`),
    ctx.db.execute(sql`
      with topics as (
        select unnest(topics) as topic, id from content_items where workspace_id = ${WS} and status <> 'retired'
        union all
        select unnest(topics), null from field_intel where workspace_id = ${WS} and heard_on >= current_date - 90)
      select topic, count(id)::int as items from topics t
      where not exists (select 1 from content_smes s where s.workspace_id = ${WS} and t.topic = any(s.topics))
      group by 1 order by count(*) desc, 1 limit 30`),
  ]);
  const userMap = new Map(us.map((u) => [u.id, u]));
  const reachMap = new Map((reach.rows as { sme_id: number; readers: number }[]).map((r) => [r.sme_id, r.readers]));
  return {
    smes: smes.map((s) => ({
      id: s.id,
      name: s.name,
      title: s.title,
      email: s.email,
      user: s.userId === null ? null : (userMap.get(s.userId) ?? null),
      topics: s.topics,
      items: contribs.filter((c) => c.smeId === s.id).map((c) => ({ id: c.id, title: c.title, status: c.status, stage: c.stage, role: c.role })),
      readers: reachMap.get(s.id) ?? 0,
    })),
    uncoveredTopics: uncovered.rows as { topic: string; items: number }[],
  };
}
