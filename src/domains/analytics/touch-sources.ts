// Where marketing touches come from, as SQL over the source tables. The rollup (./rollup.ts) copies these
// rows into analytics_touches; the raw path (./touches.ts) reads them directly. One definition for both, so the
// two give the same numbers.
import { sql, type SQL } from 'drizzle-orm';

/**
 * Email link clicks: the email domain's own (`Email Link Clicked`, ./../email/tracking.ts: properties
 * emailMessageId, templateId, contentItemId, campaignId, programId, stepId, url; utm_campaign = the campaign's code
 * when the message has a campaign) and external senders' `Email Clicked`. A click is a touch of kind email_click,
 * channel email, with the message's content item and campaign (a nurture-program click without a campaign is
 * still a touch: channel email, its content item; the touch has no column for the program).
 */
export const EMAIL_CLICK_EVENTS = ['Email Link Clicked', 'Email Clicked'] as const;
/** The email domain's other events carry the campaign's utm_campaign too, but are not touches. */
export const EMAIL_NON_TOUCH_EVENTS = ['Email Opened', 'Email Unsubscribed', 'Email Bounced', 'Email Complained'] as const;

const list = (names: readonly string[]) => sql.join(names.map((n) => sql`${n}`), sql`, `);
const isClick = sql`(e.type = 'track' and e.event in (${list(EMAIL_CLICK_EVENTS)}))`;
const digits = (key: string) => sql`case when (e.properties->>${key}) ~ '^[0-9]{1,15}$' then (e.properties->>${key})::bigint end`;

/** Columns: source_key, contact_id, anonymous_id, kind, occurred_at, utm_campaign, campaign_id, content_item_id, channel. */
export function eventTouchSelect(ws: number, where: SQL = sql`true`): SQL {
  return sql`
    select 'e:' || e.id as source_key, e.contact_id, case when e.contact_id is null then e.anonymous_id end as anonymous_id,
           case when ${isClick} then 'email_click' else 'utm' end as kind,
           e.timestamp as occurred_at,
           nullif(lower(coalesce(e.utm_campaign, e.properties->>'utm_campaign')), '') as utm_campaign,
           ${digits('campaignId')} as campaign_id,
           case when ${isClick} then ${digits('contentItemId')}::integer end as content_item_id,
           case when ${isClick} then 'email' else nullif(lower(e.utm_medium), '') end as channel
    from events e
    where e.workspace_id = ${ws} and not e.is_bot
      and ((e.utm_campaign is not null and not (e.type = 'track' and e.event in (${list(EMAIL_NON_TOUCH_EVENTS)}))) or ${isClick})
      and ${where}`;
}

export function contentTouchSelect(ws: number): SQL {
  return sql`
    select 'c:' || cc.item_id || ':' || cc.contact_id as source_key, cc.contact_id, null::text as anonymous_id, 'content' as kind,
           cc.first_at as occurred_at, null::text as utm_campaign, null::bigint as campaign_id, cc.item_id as content_item_id, 'content' as channel
    from content_consumption cc where cc.workspace_id = ${ws}`;
}

export function offlineTouchSelect(ws: number, where: SQL = sql`true`): SQL {
  return sql`
    select 'o:' || o.id as source_key, o.contact_id, null::text as anonymous_id, 'offline' as kind, o.occurred_at,
           null::text as utm_campaign, o.campaign_id, null::integer as content_item_id, o.kind as channel
    from offline_touches o where o.workspace_id = ${ws} and ${where}`;
}

/** Every touch of known contacts, straight from the source tables (the raw path). */
export function rawTouches(ws: number): SQL {
  return sql`(${eventTouchSelect(ws, sql`e.contact_id is not null`)} union all ${contentTouchSelect(ws)} union all ${offlineTouchSelect(ws)})`;
}

/** The rollup's touches of known contacts. */
export function rollupTouches(ws: number): SQL {
  return sql`(select source_key, contact_id, anonymous_id, kind, occurred_at, utm_campaign, campaign_id, content_item_id, channel
              from analytics_touches where workspace_id = ${ws} and contact_id is not null)`;
}
