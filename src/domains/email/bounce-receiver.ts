// The bounce receiver: a small SMTP server (smtp-server) that takes the bounces (RFC 3464 DSNs) and complaints
// (RFC 5965 ARF) mailed back to the Return-Path of revloop's messages. With a bounce domain in the email
// settings, messages go out with the envelope sender bounce+<message id>@<bounce domain> (verp.ts); that domain's
// MX points at this server (BOUNCE_SMTP_PORT). It accepts mail only for bounce+<message id>@<bounce domain> — it
// relays nothing — and hands each message to processInbound, as POST /email/inbound does, but strict: the report
// applies only to that message and its recipient (a made-up bounce cannot suppress anyone else). Mail that is not
// such a report (an auto-reply) is accepted and dropped, so nobody gets a bounce of a bounce; a database failure
// answers 451, so the sending server keeps the report and tries again later.
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { systemActor, type Ctx } from '../../context.ts';
import type { Db } from '../../db/client.ts';
import { ValidationError } from '../../errors.ts';
import { noJobs } from '../../jobs.ts';
import { processInbound } from './inbound.ts';
import { loadSettings, setBounceReceiverAddress } from './settings.ts';
import { parseBounceRecipient, verpMessageId } from './verp.ts';

const MAX_BYTES = 2_000_000;

export interface BounceReceiver {
  /** host:port it listens on. */
  address: string;
  port: number;
  close(): Promise<void>;
}

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

export async function startBounceReceiver(opts: { db: Db; dataDir: string; port: number; host: string; log: Logger }): Promise<BounceReceiver> {
  const ctx: Ctx = { db: opts.db, actor: { ...systemActor, label: 'bounce receiver' }, log: opts.log, jobs: noJobs, dataDir: opts.dataDir };
  const server = new SMTPServer({
    name: 'revloop-bounces',
    banner: 'revloop bounce receiver',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    size: MAX_BYTES,
    // On shutdown, connections still open after 2 s are cut (the sender retries what it has not handed over).
    closeTimeout: 2_000,
    // At most 50 connections at once (a report is small; a sender over the limit retries later).
    maxClients: 50,
    async onRcptTo(address: SMTPServerAddress, session, cb) {
      try {
        const { bounceDomain } = await loadSettings(opts.db);
        const rcpt = parseBounceRecipient(address.address, bounceDomain);
        if (!rcpt) return cb(smtpError(550, `5.1.1 <${address.address}>: no such mailbox here (revloop accepts only bounces to the bounce+<message>@ addresses it sent from)`));
        cb();
      } catch (err) {
        opts.log.error({ err }, 'bounce receiver: settings could not be read');
        cb(smtpError(451, '4.3.0 temporary failure, try again later'));
      }
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', (err) => cb(err));
      stream.on('end', () => {
        if ((stream as { sizeExceeded?: boolean }).sizeExceeded) return cb(smtpError(552, `5.3.4 message larger than ${MAX_BYTES} bytes`));
        const raw = Buffer.concat(chunks).toString('utf8');
        void (async () => {
          try {
            // Every recipient passed onRcptTo's check of the bounce domain: only the message id is left to read.
            const messageId = session.envelope.rcptTo.map((r) => verpMessageId(r.address)).find((id) => id !== null) ?? null;
            const r = await processInbound({ ctx, raw, messageId, strict: true });
            opts.log.info({ kind: r.kind, recipient: r.recipient, messageId: r.messageId, suppressed: r.suppressed }, 'bounce receiver: report processed');
            cb();
          } catch (err) {
            if (err instanceof ValidationError) {
              opts.log.info({ reason: err.message, from: session.envelope.mailFrom || null }, 'bounce receiver: not a bounce or complaint, dropped');
              return cb();
            }
            opts.log.error({ err }, 'bounce receiver: report could not be stored');
            cb(smtpError(451, '4.3.0 temporary failure, try again later'));
          }
        })();
      });
    },
  });
  server.on('error', (err) => opts.log.error({ err }, 'bounce receiver error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  const address = `${opts.host}:${port}`;
  setBounceReceiverAddress(address);
  return {
    address,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        setBounceReceiverAddress(null);
        server.close(() => resolve());
      }),
  };
}
