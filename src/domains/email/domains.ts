// Sending domains: a DKIM key pair generated per domain (private key encrypted at rest), the SPF, DKIM and
// DMARC records to publish, and a check of each by DNS lookup (node:dns; the resolver is injectable).
import { generateKeyPairSync } from 'node:crypto';
import { promises as dns } from 'node:dns';
import { and, asc, eq } from 'drizzle-orm';
import { withTransaction, type Ctx } from '../../context.ts';
import { DomainInput, DomainPatch } from '../../contracts/email.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import { recordAudit } from '../identity/audit.ts';
import { encryptSecret } from '../webhooks/crypto.ts';
import { secretKey, WS } from './settings.ts';
import { emailDomains } from './schema.ts';

export type TxtResolver = (name: string) => Promise<string[][]>;
let resolver: TxtResolver = (name) => dns.resolveTxt(name);
/** Tests replace the DNS resolver; returns the previous one. */
export function setTxtResolver(r: TxtResolver): TxtResolver {
  const prev = resolver;
  resolver = r;
  return prev;
}

type Row = typeof emailDomains.$inferSelect;
type Check = { name: string; type: 'TXT'; expected: string; found: string[]; ok: boolean; problem: string | null };

export function expectedRecords(r: Row) {
  return {
    spf: { name: r.domain, expected: `v=spf1 ${r.spfInclude ? `${r.spfInclude} ` : ''}~all` },
    dkim: { name: `${r.dkimSelector}._domainkey.${r.domain}`, expected: `v=DKIM1; k=rsa; p=${r.dkimPublicKey}` },
    dmarc: { name: `_dmarc.${r.domain}`, expected: `v=DMARC1; p=quarantine; rua=mailto:dmarc@${r.domain}` },
  };
}

function dto(r: Row) {
  const exp = expectedRecords(r);
  const last = (r.lastCheck ?? {}) as Record<string, Check | undefined>;
  const rec = (k: 'spf' | 'dkim' | 'dmarc'): Check => last[k] ?? { name: exp[k].name, type: 'TXT', expected: exp[k].expected, found: [], ok: false, problem: 'Not checked yet' };
  return {
    id: r.id, domain: r.domain, dkimSelector: r.dkimSelector, spfInclude: r.spfInclude, throttlePerMinute: r.throttlePerMinute,
    records: { spf: rec('spf'), dkim: rec('dkim'), dmarc: rec('dmarc') }, verified: Boolean(r.verifiedAt), checkedAt: r.checkedAt?.toISOString() ?? null, createdAt: r.createdAt.toISOString(),
  };
}

async function txt(name: string): Promise<{ found: string[]; error: string | null }> {
  try {
    return { found: (await resolver(name)).map((parts) => parts.join('')), error: null };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { found: [], error: code === 'ENOTFOUND' || code === 'ENODATA' ? 'No TXT record found' : `DNS lookup failed (${code ?? (err as Error).message})` };
  }
}

/** Looks the three records up and judges them. */
export async function checkRecords(r: Row): Promise<{ spf: Check; dkim: Check; dmarc: Check; ok: boolean }> {
  const exp = expectedRecords(r);
  const [spf, dkim, dmarc] = await Promise.all([txt(exp.spf.name), txt(exp.dkim.name), txt(exp.dmarc.name)]);
  const spfRecs = spf.found.filter((s) => /^v=spf1(\s|$)/i.test(s));
  const spfProblem = spf.error ?? (spfRecs.length === 0 ? 'No v=spf1 record' : spfRecs.length > 1 ? 'More than one SPF record (receivers treat that as an error)' : r.spfInclude && !spfRecs[0]!.split(/\s+/).includes(r.spfInclude) ? `The SPF record does not contain ${r.spfInclude}` : /\s\+all\b/.test(spfRecs[0]!) ? 'The SPF record allows anyone (+all)' : null);
  const dkimRec = dkim.found.find((s) => /(^|;)\s*p=/.test(s));
  const p = dkimRec ? /(?:^|;)\s*p=([^;\s]*)/.exec(dkimRec)?.[1] ?? '' : '';
  const dkimProblem = dkim.error ?? (!dkimRec ? 'No DKIM key record' : p.replace(/\s/g, '') !== r.dkimPublicKey ? 'The published DKIM key is not this domain\'s key' : null);
  const dmarcRec = dmarc.found.find((s) => /^v=DMARC1/i.test(s));
  const dmarcProblem = dmarc.error ?? (!dmarcRec ? 'No v=DMARC1 record' : !/;\s*p=(none|quarantine|reject)/i.test(dmarcRec) ? 'The DMARC record has no policy (p=)' : null);
  const mk = (k: 'spf' | 'dkim' | 'dmarc', found: string[], problem: string | null): Check => ({ name: exp[k].name, type: 'TXT', expected: exp[k].expected, found, ok: problem === null, problem });
  const out = { spf: mk('spf', spf.found, spfProblem), dkim: mk('dkim', dkim.found, dkimProblem), dmarc: mk('dmarc', dmarc.found, dmarcProblem) };
  return { ...out, ok: out.spf.ok && out.dkim.ok && out.dmarc.ok };
}

export async function listDomains({ ctx }: { ctx: Ctx }) {
  const rows = await ctx.db.select().from(emailDomains).where(eq(emailDomains.workspaceId, WS)).orderBy(asc(emailDomains.domain));
  return { items: rows.map(dto) };
}

async function getRow(ctx: Ctx, id: number): Promise<Row> {
  const [row] = await ctx.db.select().from(emailDomains).where(and(eq(emailDomains.id, id), eq(emailDomains.workspaceId, WS)));
  if (!row) throw new NotFoundError('Sending domain', id);
  return row;
}

export async function createDomain({ ctx, input }: { ctx: Ctx; input: unknown }) {
  const v = DomainInput.parse(input);
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pub = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return withTransaction(ctx, async (tx) => {
    const [dup] = await tx.select({ id: emailDomains.id }).from(emailDomains).where(and(eq(emailDomains.workspaceId, WS), eq(emailDomains.domain, v.domain)));
    if (dup) throw new ConflictError(`domain: ${v.domain} is already set up`, { field: 'domain' });
    const [row] = await tx
      .insert(emailDomains)
      .values({ workspaceId: WS, domain: v.domain, dkimSelector: v.dkimSelector, dkimPrivateKeyEnc: encryptSecret(secretKey(ctx.db, ctx.dataDir), pem), dkimPublicKey: pub, spfInclude: v.spfInclude ?? null, throttlePerMinute: v.throttlePerMinute })
      .returning();
    await recordAudit(tx, ctx.actor, { action: 'email.domain_created', entityType: 'email_domain', entityId: row!.id, summary: `Sending domain ${v.domain} added (DKIM selector ${v.dkimSelector})` });
    return dto(row!);
  });
}

export async function updateDomain({ ctx, id, input }: { ctx: Ctx; id: number; input: unknown }) {
  const v = DomainPatch.parse(input);
  const before = await getRow(ctx, id);
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.update(emailDomains).set({ ...(v.spfInclude !== undefined ? { spfInclude: v.spfInclude } : {}), ...(v.throttlePerMinute ? { throttlePerMinute: v.throttlePerMinute } : {}) }).where(eq(emailDomains.id, id)).returning();
    await recordAudit(tx, ctx.actor, { action: 'email.domain_updated', entityType: 'email_domain', entityId: id, summary: `Sending domain ${before.domain} changed`, changes: { throttlePerMinute: { from: before.throttlePerMinute, to: row!.throttlePerMinute }, spfInclude: { from: before.spfInclude, to: row!.spfInclude } } });
    return dto(row!);
  });
}

export async function deleteDomain({ ctx, id }: { ctx: Ctx; id: number }) {
  const before = await getRow(ctx, id);
  await withTransaction(ctx, async (tx) => {
    await tx.delete(emailDomains).where(eq(emailDomains.id, id));
    await recordAudit(tx, ctx.actor, { action: 'email.domain_deleted', entityType: 'email_domain', entityId: id, summary: `Sending domain ${before.domain} removed` });
  });
}

export async function checkDomain({ ctx, id }: { ctx: Ctx; id: number }) {
  const row = await getRow(ctx, id);
  const { ok, ...records } = await checkRecords(row);
  const now = new Date();
  const [saved] = await ctx.db
    .update(emailDomains)
    .set({ lastCheck: records, checkedAt: now, verifiedAt: ok ? (row.verifiedAt ?? now) : null })
    .where(eq(emailDomains.id, id))
    .returning();
  return dto(saved!);
}
