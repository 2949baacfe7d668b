// Test sends (from the template editor, or an email step of a nurture program): a message marked as a test,
// rendered as a real contact but delivered to the person testing — their own address by default, or `to`. It needs
// no consent of the contact it is rendered as, because it never goes to them: a `to` that is some contact's own
// address needs that contact's consent for the template's topic, like any other mail (no topic: refused). A suppressed address gets
// nothing. Tests are never counted in health, record no opens or clicks, and their unsubscribe links change nothing.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Actor } from '../../context.ts';
import type { Tx } from '../../db/client.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { loadSettings, WS } from './settings.ts';

export interface TestMessageArgs {
  templateId: number;
  /** The contact the message is rendered as. */
  contactId: number;
  /** Where it goes; default: the address of the user who asks. */
  to?: string;
  programId?: string;
  stepId?: string;
  contentItemId?: number;
}

export async function queueTestMessage(tx: Tx, actor: Actor, a: TestMessageArgs): Promise<{ messageId: string; to: string; contactEmail: string }> {
  const to = (a.to ?? (actor.type === 'user' ? actor.label : '')).trim().toLowerCase();
  if (!to) throw new ValidationError('to: an API key has no address of its own; give the address the test goes to', [{ field: 'to', message: 'required for API keys' }]);
  const { rows } = await tx.execute<{ contact_email: string | null; topic_id: number | null; topic_name: string | null; suppressed: string | null; unconsented: string | null }>(sql`
    select (select email from contacts where id = ${a.contactId} and workspace_id = ${WS}) as contact_email, t.topic_id, tp.name as topic_name,
      (select reason from email_suppressions where workspace_id = ${WS} and email = ${to}) as suppressed,
      (select c.email from contacts c where c.workspace_id = ${WS} and lower(c.email) = ${to}
         and (t.topic_id is null or coalesce((select ec.status from email_consents ec where ec.contact_id = c.id and ec.topic_id = t.topic_id order by ec.id desc limit 1), 'none') <> 'granted') limit 1) as unconsented
    from email_templates t left join email_topics tp on tp.id = t.topic_id
    where t.id = ${a.templateId} and t.workspace_id = ${WS}`);
  const r = rows[0];
  if (!r) throw new NotFoundError('Email template', a.templateId);
  if (r.contact_email == null) throw new ValidationError(`contactId: contact ${a.contactId} does not exist`, [{ field: 'contactId', message: 'no such contact' }]);
  if (r.suppressed) throw new ConflictError(`${to} is on the suppression list (${r.suppressed}); nothing is sent to it`, { field: 'to' });
  if (r.unconsented)
    throw new ConflictError(`${to} is a contact who has not consented to ${r.topic_name ? `"${r.topic_name}"` : 'this email (the template has no topic)'}: a test goes to your own address or a teammate's, not to contacts`, { field: 'to' });
  const s = await loadSettings(tx);
  const { rows: ins } = await tx.execute<{ id: string }>(sql`
    insert into email_messages (workspace_id, contact_id, template_id, topic_id, to_email, idempotency_key, is_test, from_domain, program_id, step_id, content_item_id)
    values (${WS}, ${a.contactId}, ${a.templateId}, ${r.topic_id}, ${to}, ${`test:${randomUUID()}`}, true, ${s.fromEmail.split('@')[1] ?? null}, ${a.programId ?? null}, ${a.stepId ?? null}, ${a.contentItemId ?? null})
    returning id::text`);
  return { messageId: ins[0]!.id, to, contactEmail: r.contact_email };
}
