// How messages leave: nodemailer over SMTP (pooled, one transporter per settings version) with DKIM signing
// by the sending domain's key, or — with no SMTP host configured — nowhere: they stay in the embedded outbox.
import nodemailer, { type Transporter } from 'nodemailer';
import { decryptSecret } from '../webhooks/crypto.ts';
import type { SettingsRow } from './settings.ts';

const transporters = new Map<string, Transporter>();

/** Headers the DKIM signature covers (List-Unsubscribe and its one-click POST header included, RFC 8058 §4). */
export const DKIM_HEADERS = 'From:Sender:Reply-To:Subject:Date:Message-ID:To:Cc:MIME-Version:Content-Type:Content-Transfer-Encoding:List-Unsubscribe:List-Unsubscribe-Post:List-Id:Feedback-ID';

export function smtpTransport(s: SettingsRow, key: Buffer): Transporter | null {
  if (!s.smtpHost) return null;
  const id = JSON.stringify([s.smtpHost, s.smtpPort, s.smtpSecure, s.smtpUser, s.smtpPassEnc, s.updatedAt.getTime()]);
  let t = transporters.get(id);
  if (!t) {
    t = nodemailer.createTransport({
      host: s.smtpHost,
      port: s.smtpPort,
      secure: s.smtpSecure,
      pool: true,
      maxConnections: 8,
      maxMessages: Infinity,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 30_000,
      tls: { rejectUnauthorized: s.smtpHost !== '127.0.0.1' && s.smtpHost !== 'localhost' },
      ...(s.smtpUser ? { auth: { user: s.smtpUser, pass: s.smtpPassEnc ? decryptSecret(key, s.smtpPassEnc) : '' } } : {}),
    });
    transporters.set(id, t);
  }
  return t;
}

export function closeTransports(): void {
  for (const t of transporters.values()) t.close();
  transporters.clear();
}
