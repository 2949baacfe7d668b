// dkimSign: what a receiver verifies (an independent verifier, test-helpers.ts), byte for byte what nodemailer's
// own signer would have added, and a tampered List-Unsubscribe no longer verifies.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import DKIM from 'nodemailer/lib/dkim';
import MailComposer from 'nodemailer/lib/mail-composer';
import { dkimKeyObject, dkimSign, relaxedBody } from './dkim.ts';
import { verifyDkim } from './test-helpers.ts';
import { DKIM_HEADERS } from './transport.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const spki = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const key = { domainName: 'mail.example.test', keySelector: 'rl1', privateKey: dkimKeyObject(pem) };

function compose(extra: Record<string, unknown> = {}) {
  return new MailComposer({
    from: { name: 'Zoë from Example News', address: 'news@mail.example.test' },
    to: 'ada@example.test',
    subject: `A long subject line that nodemailer folds over more than one header line — ünïcödé too ${'x'.repeat(40)}`,
    html: '<p>Hello   Ada,\t</p>\n<p>trailing spaces   \n\n\n',
    text: 'Hello   Ada,\t \n\n\r\nlone\rCR\n\n',
    messageId: '<0b6f1d5e@mail.example.test>',
    headers: { 'List-Unsubscribe': '<http://track.example.test/e/u/0b6f1d5e/abc>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    ...extra,
  })
    .compile()
    .build();
}

const nodemailerSigned = async (raw: Buffer) => {
  const chunks: Buffer[] = [];
  for await (const c of new DKIM({ ...key, privateKey: pem, headerFieldNames: DKIM_HEADERS }).sign(raw)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

describe('dkimSign', () => {
  it('signs so that an independent verifier accepts it, covering List-Unsubscribe and its one-click header', async () => {
    const signed = (await dkimSign(await compose(), key, DKIM_HEADERS)).toString('utf8');
    const v = verifyDkim(signed, spki);
    expect(v).toMatchObject({ ok: true, bodyOk: true, domain: 'mail.example.test', selector: 'rl1' });
    expect(v.signed).toEqual(expect.arrayContaining(['from', 'to', 'subject', 'date', 'message-id', 'list-unsubscribe', 'list-unsubscribe-post']));
    expect(signed.startsWith('DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=mail.example.test;')).toBe(true);
  });

  it("adds exactly the field nodemailer's own signer adds (same message, same key)", async () => {
    for (const extra of [{}, { replyTo: 'sales@example.test', text: undefined }, { html: '', text: '' }]) {
      const raw = await compose(extra);
      expect((await dkimSign(raw, key, DKIM_HEADERS)).toString('latin1')).toBe((await nodemailerSigned(raw)).toString('latin1'));
    }
  });

  it('rejects (fails to verify) a message whose List-Unsubscribe was changed after signing', async () => {
    const signed = (await dkimSign(await compose(), key, DKIM_HEADERS)).toString('utf8');
    const tampered = signed.replace('/e/u/0b6f1d5e/abc', '/e/u/0b6f1d5e/xyz');
    expect(tampered).not.toBe(signed);
    expect(verifyDkim(tampered, spki).ok).toBe(false);
  });
});

describe('relaxedBody', () => {
  it('collapses whitespace, drops it at line ends, and ignores empty lines at the end', () => {
    expect(relaxedBody('a  b\t c \r\n\r\n d\r\n\r\n\r\n')).toBe('a b c\r\n\r\n d\r\n');
    expect(relaxedBody('')).toBe('');
    expect(relaxedBody('\r\n\r\n')).toBe('');
    expect(relaxedBody('x')).toBe('x\r\n');
  });
});
