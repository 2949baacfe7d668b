// composeMessage: what a mail parser reads back equals what MailComposer's message gives (subject, names,
// addresses, both parts byte for byte, the headers), and it signs and verifies; unusual addresses fall back.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import MailComposer from 'nodemailer/lib/mail-composer';
import { simpleParser } from 'mailparser';
import { composable, composeMessage, messageBytes, type OutgoingMail } from './compose.ts';
import { dkimKeyObject, dkimSign } from './dkim.ts';
import { verifyDkim } from './test-helpers.ts';
import { DKIM_HEADERS } from './transport.ts';

const mail = (extra: Partial<OutgoingMail> = {}): OutgoingMail => ({
  from: { name: 'Zoë "the" Sender, Example', address: 'news@mail.example.test' },
  to: 'ada@example.test',
  replyTo: 'sales@example.test',
  subject: `Ünïcödé subject — long enough to be folded over more than one header line ${'x'.repeat(30)}`,
  html: `<html><body>\n<p style="x">Hello   Ada,\t</p>\n.\n.leading dot\n<p>${'long line '.repeat(40)}</p>\n<p>€ 10 = ten euros; naïve</p>   \n</body></html>\n`,
  text: 'Hello   Ada,\t \n\n.\nline with = sign and € \n\n\n',
  messageId: '<0b6f1d5e@mail.example.test>',
  headers: { 'List-Unsubscribe': `<http://track.example.test/e/u/0b6f1d5e/${'a'.repeat(80)}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click', 'X-Revloop-Message-Id': '0b6f1d5e' },
  date: new Date('2026-12-04T05:00:00Z'),
  ...extra,
});

async function viaMailComposer(m: OutgoingMail) {
  return new MailComposer({ from: m.from, to: m.to, replyTo: m.replyTo ?? undefined, subject: m.subject, html: m.html, text: m.text, messageId: m.messageId, headers: m.headers, date: m.date }).compile().build();
}

describe('composeMessage', () => {
  it('reads back like the MailComposer message: subject, names, addresses, both parts and headers', async () => {
    // ASCII HTML (the short quoted-printable path): "=" right at every possible cut, trailing spaces and tabs
    const ascii = Array.from({ length: 8 }, (_, i) => `<p style="a=b">${'x'.repeat(60 + i)}=${'y'.repeat(i)}==3D ${'z '.repeat(50)}\t</p>  `).join('\n');
    for (const m of [mail(), mail({ from: { name: 'Plain Name', address: 'a@b.test' }, subject: 'ASCII subject', replyTo: null, text: '' }), mail({ html: ascii, text: `${ascii} ` })]) {
      const raw = composeMessage(m);
      expect(/^[\x00-\x7f]*$/.test(raw)).toBe(true);
      expect(raw.split('\r\n').every((l) => l.length <= 998)).toBe(true);
      const [a, b] = await Promise.all([simpleParser(raw), simpleParser(await viaMailComposer(m))]);
      expect(a.subject).toBe(m.subject);
      expect(a.html).toBe(b.html);
      expect(a.text).toBe(b.text);
      expect(a.from?.value).toEqual(b.from?.value);
      expect(a.to).toEqual(b.to);
      expect(a.replyTo).toEqual(b.replyTo);
      expect(a.messageId).toBe(b.messageId);
      expect(a.date).toEqual(b.date);
      for (const h of ['list-unsubscribe', 'list-unsubscribe-post', 'x-revloop-message-id']) expect(a.headers.get(h)).toEqual(b.headers.get(h));
    }
  });

  it('signs and verifies like any message (DKIM over List-Unsubscribe)', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const key = { domainName: 'mail.example.test', keySelector: 'rl1', privateKey: dkimKeyObject(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string) };
    const signed = (await dkimSign(Buffer.from(composeMessage(mail()), 'latin1'), key, DKIM_HEADERS)).toString('latin1');
    const v = verifyDkim(signed, publicKey.export({ type: 'spki', format: 'der' }).toString('base64'));
    expect(v).toMatchObject({ ok: true, bodyOk: true });
    expect(v.signed).toEqual(expect.arrayContaining(['from', 'reply-to', 'to', 'subject', 'date', 'message-id', 'list-unsubscribe', 'list-unsubscribe-post']));
  });

  it('leaves to MailComposer what it does not handle (an address that is not plain ASCII)', async () => {
    const m = mail({ to: 'jürgen@exämple.test' });
    expect(composable(m)).toBe(false);
    expect(composable(mail({ headers: { 'X-Note': 'café' } }))).toBe(false);
    const parsed = await simpleParser(await messageBytes(m));
    expect(parsed.subject).toBe(m.subject);
    expect(parsed.html).toBe((await simpleParser(await viaMailComposer(m))).html);
  });
});
