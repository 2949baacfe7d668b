// The MIME text of an outgoing message, built as one string: multipart/alternative with a quoted-printable
// plain-text and HTML part (the HTML alone when there is no text), the headers in MailComposer's form (encoded words for non-ASCII, folded at 76).
// nodemailer's MailComposer builds the same through a tree of streams, which cost more than the rendering and
// the database together on the send path; it is still used for anything this does not handle (addresses
// that are not plain ASCII `local@domain`, non-ASCII custom header values).
import { randomBytes } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import { encodeWords, foldLines } from 'nodemailer/lib/mime-funcs';
import { encode as qpEncode, wrap as qpWrap } from 'nodemailer/lib/qp';

export interface OutgoingMail {
  from: { name: string; address: string };
  to: string;
  replyTo?: string | null;
  subject: string;
  html: string;
  text: string;
  /** With the angle brackets. */
  messageId: string;
  headers: Record<string, string>;
  date?: Date;
}

const PLAIN_ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+$/;
const ASCII = /^[\x20-\x7e]*$/;
const CRLF = '\r\n';

const phrase = (name: string) => (!ASCII.test(name) ? encodeWords(name, 'Q', 52) : /^[\w ]*$/.test(name) ? name : `"${name.replace(/([\\"])/g, '\\$1')}"`);

const partHead = (type: string) => `Content-Type: ${type}; charset=utf-8${CRLF}Content-Transfer-Encoding: quoted-printable`;

/** Quoted-printable of the text with CRLF line ends, soft-wrapped at 76 (nodemailer's encoder). */
const qp = (content: string) => qpWrap(qpEncode(content.replace(/\r?\n/g, CRLF)), 76);

/** Whether composeMessage handles this mail (else: MailComposer). */
export function composable(m: OutgoingMail): boolean {
  return (
    PLAIN_ADDRESS.test(m.from.address) &&
    PLAIN_ADDRESS.test(m.to) &&
    (!m.replyTo || PLAIN_ADDRESS.test(m.replyTo)) &&
    ASCII.test(m.messageId) &&
    Object.entries(m.headers).every(([k, v]) => /^[A-Za-z0-9-]+$/.test(k) && ASCII.test(v))
  );
}

/** The message as MIME text (ASCII only: every byte is a latin1 char). */
export function composeMessage(m: OutgoingMail): string {
  // "=_" never occurs in quoted-printable text ("=" is always followed by two hex digits or a line break).
  const boundary = `=_rl_${randomBytes(12).toString('hex')}`;
  const alternative = m.text !== '';
  const subject = ASCII.test(m.subject) ? m.subject : encodeWords(m.subject, 'Q', 52);
  const head = [
    alternative ? `Content-Type: multipart/alternative;${CRLF} boundary="${boundary}"` : partHead('text/html'),
    `From: ${m.from.name ? `${phrase(m.from.name)} <${m.from.address}>` : m.from.address}`,
    ...(m.replyTo ? [`Reply-To: ${m.replyTo}`] : []),
    `To: ${m.to}`,
    foldLines(`Subject: ${subject}`, 76),
    `Message-ID: ${m.messageId}`,
    `Date: ${(m.date ?? new Date()).toUTCString().replace(/GMT/, '+0000')}`,
    'MIME-Version: 1.0',
    ...Object.entries(m.headers).map(([k, v]) => foldLines(`${k}: ${v}`, 76)),
  ].join(CRLF);
  if (!alternative) return `${head}${CRLF}${CRLF}${qp(m.html)}`;
  const part = (type: string, content: string) => `--${boundary}${CRLF}${partHead(type)}${CRLF}${CRLF}${qp(content)}${CRLF}`;
  return `${head}${CRLF}${CRLF}${part('text/plain', m.text)}${part('text/html', m.html)}--${boundary}--${CRLF}`;
}

/** The message's bytes: composeMessage when it can, MailComposer otherwise. */
export async function messageBytes(m: OutgoingMail): Promise<Buffer> {
  if (composable(m)) return Buffer.from(composeMessage(m), 'latin1');
  return new MailComposer({
    from: m.from,
    to: m.to,
    ...(m.replyTo ? { replyTo: m.replyTo } : {}),
    subject: m.subject,
    html: m.html,
    text: m.text,
    messageId: m.messageId,
    headers: m.headers,
    ...(m.date ? { date: m.date } : {}),
  })
    .compile()
    .build();
}
