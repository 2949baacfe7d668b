// Templates: MJML compiled to HTML once at save (Liquid left in it), Liquid rendered per message with output
// escaped by default (`| raw` opts out), a plain-text part generated from the HTML, and the message's links
// rewritten to tracked redirects. Errors name the line: MJML's validator and Liquid's parser both report it.
import mjml2html from 'mjml';
import { Liquid, type Template } from 'liquidjs';
import { ValidationError } from '../../errors.ts';

export const liquid = new Liquid({ outputEscape: 'escape', strictFilters: true, strictVariables: false, ownPropertyOnly: true, cache: false });
/** Subjects are header text, not HTML: rendered without escaping (nodemailer encodes the header). */
const liquidText = new Liquid({ strictFilters: true, strictVariables: false, ownPropertyOnly: true, cache: false });

function fieldError(field: string, message: string, line?: number): ValidationError {
  return new ValidationError(`${field}: ${message}`, [{ field, message, ...(line ? { line } : {}) }]);
}

/** Parses Liquid; a syntax error becomes a 400 naming the field and the line. */
export function parseLiquid(field: string, source: string): Template[] {
  try {
    return liquid.parse(source);
  } catch (err) {
    const e = err as Error & { token?: { getPosition?: () => [number, number] }; line?: number };
    const pos = e.token?.getPosition?.();
    const line = pos?.[0] ?? e.line;
    const msg = e.message.split('\n')[0]!.replace(/, line:\d+, col:\d+/, '');
    throw fieldError(field, `Liquid error${line ? ` on line ${line}` : ''}: ${msg}`, line);
  }
}

/** Compiles MJML to HTML (strict validation, no file includes); a bad document is a 400 naming the line. */
export async function compileMjml(source: string): Promise<string> {
  const trimmed = source.trim();
  if (!/^<mjml[\s>]/.test(trimmed) || !/<\/mjml>\s*$/.test(trimmed)) {
    throw fieldError('mjml', 'MJML error on line 1: the document must start with <mjml> and end with </mjml>', 1);
  }
  if (/<mj-include\b/i.test(source)) {
    const line = source.slice(0, source.search(/<mj-include\b/i)).split('\n').length;
    throw fieldError('mjml', `MJML error on line ${line}: mj-include is not allowed (templates are self-contained)`, line);
  }
  try {
    const out = await mjml2html(source, { validationLevel: 'strict', ignoreIncludes: true, minify: false } as never);
    if (out.errors?.length) {
      const first = out.errors[0]!;
      throw fieldError('mjml', `MJML error on line ${first.line}: ${first.message}`, first.line);
    }
    return out.html;
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    const details = (err as { details?: { line: number; message: string }[] }).details;
    const first = details?.[0];
    if (first) throw fieldError('mjml', `MJML error on line ${first.line}: ${first.message}`, first.line);
    const m = /Line (\d+) of [^\n]*?\(([^)]*)\) — ([^\n]*)/.exec((err as Error).message);
    if (m) throw fieldError('mjml', `MJML error on line ${m[1]}: ${m[3]}`, Number(m[1]));
    throw fieldError('mjml', `MJML error: ${(err as Error).message.split('\n').filter(Boolean).join(' ').slice(0, 300)}`);
  }
}

/** Validates a whole template; returns the compiled HTML (Liquid still in it). */
export async function compileTemplate(input: { subject: string; mjml: string }): Promise<string> {
  parseLiquid('subject', input.subject);
  parseLiquid('mjml', input.mjml);
  const html = await compileMjml(input.mjml);
  parseLiquid('mjml', html); // MJML kept the Liquid intact (it can split a tag across attributes)
  return html;
}

const parsed = new Map<string, Template[]>();
/** Parsed Liquid per source text (templates are few; rendering is per message). */
function cachedParse(source: string, engine: Liquid): Template[] {
  const k = (engine === liquid ? 'h:' : 't:') + source;
  let t = parsed.get(k);
  if (!t) {
    t = engine.parse(source);
    if (parsed.size > 500) parsed.clear();
    parsed.set(k, t);
  }
  return t;
}

export async function renderLiquid(source: string, vars: Record<string, unknown>, opts: { text?: boolean } = {}): Promise<string> {
  const engine = opts.text ? liquidText : liquid;
  return engine.render(cachedParse(source, engine), vars) as Promise<string>;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' };
const decode = (s: string) => s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
  if (e[0] === '#') {
    const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
  }
  return ENTITIES[e.toLowerCase()] ?? m;
});

/** A readable plain-text part: block elements become line breaks, links "text (url)", no markup. */
export function htmlToText(html: string): string {
  let s = html.replace(/<!--[\s\S]*?-->/g, '');
  s = s.replace(/<(head|style|script|title)\b[\s\S]*?<\/\1>/gi, '');
  s = s.replace(/<a\b[^>]*href\s*=\s*"([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, (_m, href: string, inner: string) => {
    const text = inner.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
    const url = decode(href);
    return text && decode(text) !== url ? `${text} (${url})` : url;
  });
  s = s.replace(/<br\s*\/?>/gi, '\n');
  s = s.replace(/<\/(p|div|h[1-6]|li|tr|table|section)>/gi, '\n');
  s = s.replace(/<li\b[^>]*>/gi, '- ');
  s = s.replace(/<[^>]+>/g, '');
  s = decode(s);
  return s
    .split('\n')
    .map((l) => l.replace(/[ \t\f\v]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Rewrites every http(s) href of the HTML through `track(url, index)` and returns the links in order.
 * Only double-quoted href attributes (what MJML emits); mailto:, tel: and #anchors are left alone.
 */
export function rewriteLinks(html: string, track: (url: string, idx: number) => string, keep: (url: string) => boolean = () => false): { html: string; links: string[] } {
  const links: string[] = [];
  const out = html.replace(/(<a\b[^>]*?\bhref\s*=\s*")([^"]*)(")/gi, (m, pre: string, href: string, post: string) => {
    const url = decode(href.trim());
    if (!/^https?:\/\//i.test(url) || keep(url)) return m;
    let idx = links.indexOf(url);
    if (idx < 0) idx = links.push(url) - 1;
    return pre + track(url, idx).replace(/&/g, '&amp;') + post;
  });
  return { html: out, links };
}

export const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
