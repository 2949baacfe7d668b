// DKIM signing (RFC 6376, relaxed/relaxed, rsa-sha256) of a composed message: the body hash and the header
// canonicalisation in one pass over the finished bytes, and the RSA signature computed in libuv's thread pool
// (crypto.sign with a callback), so the send loop keeps rendering and talking SMTP while a signature is made.
// Same header format, field selection (the last instance of each listed field, bottom-up) and folding as
// nodemailer's own signer, which this replaces on the send path: nodemailer's signs synchronously on the event
// loop, re-parses the PEM key per message and streams the message through three transforms to hash it.
import { createHash, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { foldLines } from 'nodemailer/lib/mime-funcs';

export interface DkimKey {
  domainName: string;
  keySelector: string;
  privateKey: KeyObject;
}

const keys = new Map<string, KeyObject>();
/** The parsed private key of a PEM (parsed once per process: parsing costs about a third of a signature). */
export function dkimKeyObject(pem: string): KeyObject {
  let k = keys.get(pem);
  if (!k) {
    if (keys.size > 100) keys.clear();
    keys.set(pem, (k = createPrivateKey(pem)));
  }
  return k;
}

/**
 * Relaxed body canonicalisation (RFC 6376 §3.4.4), as latin1 (bytes kept as they are). A bare LF ends a line
 * too: a 7bit part keeps its text's LFs and SMTP sends them as CRLF.
 */
export function relaxedBody(body: string): string {
  let s = /(?:^|[^\r])\n/.test(body) ? body.replace(/\r?\n/g, '\r\n') : body;
  // (the checks first: a quoted-printable or base64 body usually has nothing to collapse)
  if (s.includes('\t')) s = s.replace(/\t/g, ' ');
  if (s.includes('  ')) s = s.replace(/ {2,}/g, ' ');
  if (s.includes(' \r\n')) s = s.replace(/ \r\n/g, '\r\n');
  if (s.endsWith(' ')) s = s.slice(0, -1);
  let end = s.length;
  while (end >= 2 && s.charCodeAt(end - 1) === 10 && s.charCodeAt(end - 2) === 13) end -= 2;
  return end ? s.slice(0, end) + '\r\n' : '';
}

/** Relaxed header value (RFC 6376 §3.4.2): unfolded, runs of SP/HTAB as one SP, trimmed. */
const relaxedValue = (line: string) =>
  line
    .slice(line.indexOf(':') + 1)
    .replace(/\r?\n/g, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/^ | $/g, '');

/** Header fields of a header block (continuation lines joined to their field), in order. */
function headerFields(head: string): { key: string; line: string }[] {
  const out: { key: string; line: string }[] = [];
  for (const l of head.split(/\r?\n/)) {
    if ((l[0] === ' ' || l[0] === '\t') && out.length) out[out.length - 1]!.line += '\r\n' + l;
    else out.push({ key: l.slice(0, l.indexOf(':')).trim().toLowerCase(), line: l });
  }
  return out;
}

const cleanTag = (v: string) => v.replace(/[\x00-\x1f\x7f;=]/g, '');

/**
 * Signs a composed message (as nodemailer's MailComposer builds it) and returns it with the
 * DKIM-Signature field first. `fieldNames`: the colon-separated header fields to cover, in nodemailer's form.
 */
export async function dkimSign(message: Buffer, key: DkimKey, fieldNames: string): Promise<Buffer> {
  const text = message.toString('latin1');
  const end = /\r?\n\r?\n/.exec(text);
  const head = end ? text.slice(0, end.index) : text;
  const bodyHash = createHash('sha256').update(relaxedBody(end ? text.slice(end.index + end[0].length) : ''), 'latin1').digest('base64');

  const fields = headerFields(head);
  const wanted = [...new Set(fieldNames.toLowerCase().split(':').map((f) => f.trim()).filter(Boolean))];
  const signed: string[] = [];
  const lines: string[] = [];
  for (const name of wanted) {
    for (let i = fields.length - 1; i >= 0; i--) {
      if (fields[i]!.key === name) {
        signed.push(name);
        lines.push(`${name}:${relaxedValue(fields[i]!.line)}`);
        break;
      }
    }
  }
  const tags = ['v=1', 'a=rsa-sha256', 'c=relaxed/relaxed', `d=${cleanTag(key.domainName).toLowerCase()}`, 'q=dns/txt', `s=${cleanTag(key.keySelector)}`, `bh=${bodyHash}`, `h=${signed.join(':')}`];
  const header = foldLines(`DKIM-Signature: ${tags.join('; ')}`, 76) + ';\r\n b=';
  const data = lines.join('\r\n') + '\r\n' + 'dkim-signature:' + relaxedValue(header);
  const signature = await new Promise<Buffer>((resolve, reject) => sign('sha256', Buffer.from(data, 'latin1'), key.privateKey, (err, sig) => (err ? reject(err) : resolve(sig))));
  const b = signature.toString('base64').replace(/(^.{73}|.{75}(?!\r?\n|\r))/g, '$&\r\n ').trim();
  return Buffer.concat([Buffer.from(`${header}${b}\r\n`, 'latin1'), message]);
}
