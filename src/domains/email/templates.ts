// Templates: create / change (validated and compiled at save: a bad MJML or Liquid is a 400 naming the line),
// list, delete, preview against a real contact, and test-send (rendered as a contact, delivered to the person
// testing: test-send.ts).
import { and, asc, eq, sql } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import { PreviewInput, TemplateInput, TemplatePatch, TestSendInput, type EmailTemplate } from '../../contracts/email.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { diffFields, recordAudit } from '../identity/audit.ts';
import { contentItems } from '../content/schema.ts';
import { compileTemplate } from './render.ts';
import { renderMessage } from './send.ts';
import { tokenKey, WS } from './settings.ts';
import { queueTestMessage } from './test-send.ts';
import { emailTemplates, emailTopics } from './schema.ts';
import { contactVars, contentVars, SAMPLE_ACCOUNT, SAMPLE_CONTACT } from './vars.ts';

type Row = typeof emailTemplates.$inferSelect;
const fieldError = (field: string, message: string) => new ValidationError(`${field}: ${message}`, [{ field, message }]);

export function toTemplateDto(r: Row): EmailTemplate {
  return { id: r.id, name: r.name, subject: r.subject, mjml: r.mjml, topicId: r.topicId, contentItemId: r.contentItemId, version: r.version, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() };
}

async function checkRefs(ctx: Ctx, v: { topicId?: number | null; contentItemId?: number | null }) {
  if (v.topicId) {
    const [t] = await ctx.db.select({ id: emailTopics.id }).from(emailTopics).where(and(eq(emailTopics.id, v.topicId), eq(emailTopics.workspaceId, WS)));
    if (!t) throw fieldError('topicId', `email topic ${v.topicId} does not exist`);
  }
  if (v.contentItemId) {
    const [c] = await ctx.db.select({ id: contentItems.id }).from(contentItems).where(and(eq(contentItems.id, v.contentItemId), eq(contentItems.workspaceId, WS)));
    if (!c) throw fieldError('contentItemId', `content item ${v.contentItemId} does not exist`);
  }
}

async function nameTaken(ctx: Ctx, name: string, exceptId?: number) {
  const [row] = await ctx.db.select({ id: emailTemplates.id }).from(emailTemplates).where(and(eq(emailTemplates.workspaceId, WS), sql`lower(${emailTemplates.name}) = lower(${name})`));
  if (row && row.id !== exceptId) throw new ConflictError(`name: a template named "${name}" already exists`, { field: 'name' });
}

export async function listTemplates({ ctx }: { ctx: Ctx }) {
  const rows = await ctx.db.select().from(emailTemplates).where(eq(emailTemplates.workspaceId, WS)).orderBy(asc(emailTemplates.name));
  return { items: rows.map(toTemplateDto) };
}

export async function getTemplate({ ctx, id }: { ctx: Ctx; id: number }) {
  const [row] = await ctx.db.select().from(emailTemplates).where(and(eq(emailTemplates.id, id), eq(emailTemplates.workspaceId, WS)));
  if (!row) throw new NotFoundError('Email template', id);
  return row;
}

export async function createTemplate({ ctx, input }: { ctx: Ctx; input: unknown }) {
  const v = TemplateInput.parse(input);
  await checkRefs(ctx, v);
  await nameTaken(ctx, v.name);
  const compiledHtml = await compileTemplate(v);
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx
      .insert(emailTemplates)
      .values({ workspaceId: WS, name: v.name, subject: v.subject, mjml: v.mjml, compiledHtml, topicId: v.topicId ?? null, contentItemId: v.contentItemId ?? null, createdBy: ctx.actor.userId })
      .returning();
    await recordAudit(tx, ctx.actor, { action: 'email.template_created', entityType: 'email_template', entityId: row!.id, summary: `Email template "${v.name}" created` });
    return toTemplateDto(row!);
  });
}

export async function updateTemplate({ ctx, id, input }: { ctx: Ctx; id: number; input: unknown }) {
  const v = TemplatePatch.parse(input);
  const before = await getTemplate({ ctx, id });
  await checkRefs(ctx, v);
  if (v.name) await nameTaken(ctx, v.name, id);
  const merged = { subject: v.subject ?? before.subject, mjml: v.mjml ?? before.mjml };
  const compiledHtml = v.subject !== undefined || v.mjml !== undefined ? await compileTemplate(merged) : before.compiledHtml;
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx
      .update(emailTemplates)
      .set({ ...v, compiledHtml, version: sql`${emailTemplates.version} + 1`, updatedAt: new Date() })
      .where(eq(emailTemplates.id, id))
      .returning();
    const changes = diffFields({ name: before.name, subject: before.subject, topicId: before.topicId, contentItemId: before.contentItemId }, { name: row!.name, subject: row!.subject, topicId: row!.topicId, contentItemId: row!.contentItemId });
    if (v.mjml !== undefined && v.mjml !== before.mjml) changes.mjml = { from: `${before.mjml.length} characters`, to: `${row!.mjml.length} characters` };
    await recordAudit(tx, ctx.actor, { action: 'email.template_updated', entityType: 'email_template', entityId: id, summary: `Email template "${row!.name}" changed`, changes });
    return toTemplateDto(row!);
  });
}

export async function deleteTemplate({ ctx, id }: { ctx: Ctx; id: number }) {
  const before = await getTemplate({ ctx, id });
  await withTransaction(ctx, async (tx) => {
    const queued = await tx.execute<{ n: number }>(sql`select count(*)::int as n from email_messages where template_id = ${id} and status in ('queued', 'sending')`);
    if (queued.rows[0]!.n > 0) throw new ConflictError(`${queued.rows[0]!.n} queued message(s) still use "${before.name}"; wait until they are sent`);
    await tx.delete(emailTemplates).where(eq(emailTemplates.id, id));
    await recordAudit(tx, ctx.actor, { action: 'email.template_deleted', entityType: 'email_template', entityId: id, summary: `Email template "${before.name}" deleted` });
  });
}

/** The rendered subject, HTML and text for a contact (or sample data); unsaved editor content allowed. */
export async function previewTemplate({ ctx, id, input, baseUrl }: { ctx: Ctx; id: number | null; input: unknown; baseUrl: string }) {
  const v = PreviewInput.parse(input);
  const saved = id ? await getTemplate({ ctx, id }) : null;
  const subject = v.subject ?? saved?.subject;
  const mjml = v.mjml ?? saved?.mjml;
  if (!subject || !mjml) throw fieldError('mjml', 'send subject and mjml, or preview a saved template');
  const compiledHtml = v.mjml === undefined && saved ? saved.compiledHtml : await compileTemplate({ subject, mjml });
  let contact = SAMPLE_CONTACT;
  let account: Record<string, unknown> | null = SAMPLE_ACCOUNT;
  let who: { id: number; email: string } | null = null;
  if (v.contactId) {
    const p = (await contactVars(ctx.db, [v.contactId])).get(v.contactId);
    if (!p) throw fieldError('contactId', `contact ${v.contactId} does not exist`);
    contact = p.contact;
    account = p.account;
    who = { id: v.contactId, email: String(p.contact.email) };
  }
  const itemId = v.contentItemId ?? saved?.contentItemId ?? null;
  const content = itemId ? ((await contentVars(ctx.db, [itemId])).get(itemId) ?? null) : null;
  if (v.contentItemId && !content) throw fieldError('contentItemId', `content item ${v.contentItemId} does not exist`);
  try {
    const r = await renderMessage({ template: { subject, compiledHtml }, vars: { contact, account, content }, messageId: null, key: tokenKey(ctx.db, ctx.dataDir), baseUrl });
    return { subject: r.subject, html: r.html, text: r.text, contact: who };
  } catch (err) {
    throw fieldError('mjml', `Liquid error: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** Queues a test message of the saved template, rendered as the contact, to the user's own address or `to` (test-send.ts). */
export async function testSend({ ctx, id, input }: { ctx: Ctx; id: number; input: unknown }) {
  const v = TestSendInput.parse(input);
  const t = await getTemplate({ ctx, id });
  return withTransaction(ctx, async (tx) => {
    const m = await queueTestMessage(tx, ctx.actor, { templateId: t.id, contactId: v.contactId, ...(v.to ? { to: v.to } : {}) });
    await recordAudit(tx, ctx.actor, { action: 'email.test_sent', entityType: 'email_template', entityId: t.id, summary: `Test of "${t.name}" queued to ${m.to} (rendered as ${m.contactEmail})`, changes: { messageId: m.messageId, contactId: v.contactId } });
    return { messageId: m.messageId, to: m.to };
  });
}
