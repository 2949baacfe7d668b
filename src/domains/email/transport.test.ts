// sendRaw: a composed message goes through the SMTP pool as is (not through the Mailer), server refusals come
// back with their response code (the send loop tells 4xx from 5xx by it), and the pool keeps working after one.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer, { type Transporter } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { composeMessage } from './compose.ts';
import { sendRaw } from './transport.ts';

const got: { to: string[]; raw: string }[] = [];
let server: SMTPServer;
let pool: Transporter;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _s, cb) {
      if (address.address.startsWith('gone')) return cb(Object.assign(new Error('No such user'), { responseCode: 550 }));
      if (address.address.startsWith('busy')) return cb(Object.assign(new Error('Try again later'), { responseCode: 451 }));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        got.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('latin1') });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  pool = nodemailer.createTransport({ host: '127.0.0.1', port: (server.server.address() as AddressInfo).port, secure: false, pool: true, maxConnections: 1, tls: { rejectUnauthorized: false } });
});
afterAll(async () => {
  pool?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const raw = (to: string) =>
  Buffer.from(composeMessage({ from: { name: 'News', address: 'news@example.test' }, to, subject: 'Hi', html: '<p>Hi</p>\n.\n.dot', text: 'Hi\n.\n.dot', messageId: `<${to}@example.test>`, headers: {} }), 'latin1');

describe('sendRaw', () => {
  it('delivers the bytes as composed, through the pool, dot-stuffing included', async () => {
    let mailerUsed = false;
    const orig = pool.sendMail.bind(pool);
    pool.sendMail = ((...a: Parameters<typeof orig>) => ((mailerUsed = true), orig(...a))) as typeof pool.sendMail;
    const message = raw('ada@example.test');
    const info = await sendRaw(pool, { from: 'news@example.test', to: ['ada@example.test'] }, '<ada@example.test>', message);
    pool.sendMail = orig;
    expect(info.response).toMatch(/^250/);
    expect(mailerUsed).toBe(false);
    const last = got.at(-1)!;
    expect(last.to).toEqual(['ada@example.test']);
    expect(last.raw.replace(/\r\n$/, '')).toBe(message.toString('latin1').replace(/\r\n$/, ''));
  });

  it('rejects with the server response code (5xx permanent, 4xx transient) and the pool goes on sending', async () => {
    const send = (to: string) => sendRaw(pool, { from: 'news@example.test', to: [to] }, `<${to}>`, raw(to));
    await expect(send('gone@example.test')).rejects.toMatchObject({ responseCode: 550 });
    await expect(send('busy@example.test')).rejects.toMatchObject({ responseCode: 451 });
    await expect(send('kim@example.test')).resolves.toMatchObject({ response: expect.stringMatching(/^250/) });
    expect(got.at(-1)!.to).toEqual(['kim@example.test']);
  });
});
