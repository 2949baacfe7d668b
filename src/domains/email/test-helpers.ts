// Test helpers: a real SMTP server (smtp-server) that keeps every raw message, parsed with mailparser, and
// an independent DKIM verifier (relaxed/relaxed, rsa-sha256, RFC 6376) that checks a signature against a
// public key, so the tests verify what a receiver would.
import { createHash, createPublicKey, createVerify } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface Received {
  raw: string;
  /** The envelope sender (MAIL FROM), where bounces go. */
  from: string | null;
  to: string[];
  parsed: ParsedMail;
}

export async function startSmtpSink(opts: { reject?: (to: string) => string | null } = {}) {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 10 * 1024 * 1024,
    // The send loop's pooled connections stay open between rounds: close() would wait 30 s for them.
    closeTimeout: 200,
    onRcptTo(address, _session, cb) {
      const why = opts.reject?.(address.address);
      if (why) return cb(Object.assign(new Error(why), { responseCode: 550 }));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        received.push({ raw, from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null, to: session.envelope.rcptTo.map((r) => r.address), parsed: await simpleParser(raw) });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    received,
    to: (addr: string) => received.filter((r) => r.to.includes(addr)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function splitMessage(raw: string): { headers: string[]; body: string } {
  const text = raw.replace(/\r?\n/g, '\r\n');
  const at = text.indexOf('\r\n\r\n');
  const head = text.slice(0, at);
  const body = text.slice(at + 4);
  const headers: string[] = [];
  for (const line of head.split('\r\n')) {
    if (/^[ \t]/.test(line) && headers.length) headers[headers.length - 1] += '\r\n' + line;
    else headers.push(line);
  }
  return { headers, body };
}

const relaxedHeader = (h: string) => {
  const i = h.indexOf(':');
  return h.slice(0, i).trim().toLowerCase() + ':' + h.slice(i + 1).replace(/\r\n/g, '').replace(/[ \t]+/g, ' ').trim();
};

function relaxedBody(body: string): string {
  let lines = body.split('\r\n').map((l) => l.replace(/[ \t]+/g, ' ').replace(/ $/, ''));
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines.length ? lines.join('\r\n') + '\r\n' : '';
}

/** Verifies the message's DKIM-Signature with the base64 SPKI public key; returns the signed header names. */
export function verifyDkim(raw: string, publicKeyB64: string): { ok: boolean; bodyOk: boolean; signed: string[]; domain: string; selector: string } {
  const { headers, body } = splitMessage(raw);
  const sigHeader = headers.find((h) => /^dkim-signature:/i.test(h));
  if (!sigHeader) throw new Error('no DKIM-Signature header');
  const tags = Object.fromEntries(
    sigHeader
      .slice(sigHeader.indexOf(':') + 1)
      .replace(/\s+/g, '')
      .split(';')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  ) as Record<string, string>;
  if (tags.c !== 'relaxed/relaxed' || tags.a !== 'rsa-sha256') throw new Error(`unsupported DKIM ${tags.c} ${tags.a}`);
  const bodyHash = createHash('sha256').update(relaxedBody(body)).digest('base64');
  const signed = tags.h!.split(':').map((s) => s.toLowerCase());
  const used = new Map<string, number>();
  const lines: string[] = [];
  for (const name of signed) {
    const all = headers.filter((h) => h.slice(0, h.indexOf(':')).trim().toLowerCase() === name && !/^dkim-signature:/i.test(h));
    const n = used.get(name) ?? 0;
    const h = all[all.length - 1 - n];
    used.set(name, n + 1);
    if (h) lines.push(relaxedHeader(h) + '\r\n');
  }
  const sigNoB = relaxedHeader(sigHeader).replace(/(;\s*b=)[^;]*/, '$1').replace(/;?$/, (m) => m);
  const data = lines.join('') + sigNoB;
  const key = createPublicKey({ key: Buffer.from(publicKeyB64, 'base64'), format: 'der', type: 'spki' });
  const ok = createVerify('RSA-SHA256').update(data).verify(key, Buffer.from(tags.b!, 'base64'));
  return { ok, bodyOk: bodyHash === tags.bh, signed, domain: tags.d!, selector: tags.s! };
}
