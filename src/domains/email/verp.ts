// VERP (variable envelope return path): with a bounce domain set, each message's envelope sender is
// bounce+<message id>@<bounce domain>, so a bounce or complaint sent back to it names the message even when the
// report quotes none of the original headers.
import { UUID } from './tokens.ts';

/** The envelope sender of a message: the VERP address with a bounce domain, else the From address. */
export function envelopeSender(settings: { bounceDomain: string | null; fromEmail: string }, messageId: string): string {
  return settings.bounceDomain ? `bounce+${messageId}@${settings.bounceDomain}` : settings.fromEmail;
}

/**
 * Reads a recipient of the bounce receiver: `{ messageId }` for bounce+<uuid>@<bounce domain>, null for any other
 * address (refused: revloop relays nothing, and a report must name the message it is about, so nobody can
 * suppress an arbitrary address by mailing a made-up bounce).
 */
export function parseBounceRecipient(address: string, bounceDomain: string | null): { messageId: string } | null {
  if (!bounceDomain) return null;
  const at = address.lastIndexOf('@');
  if (at < 0 || address.slice(at + 1).toLowerCase() !== bounceDomain.toLowerCase()) return null;
  const messageId = verpMessageId(address);
  return messageId ? { messageId } : null;
}

/** The message id in the local part of a VERP address (bounce+<uuid>@…, any domain), or null. */
export function verpMessageId(address: string): string | null {
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at).toLowerCase();
  if (at < 0 || !local.startsWith('bounce+')) return null;
  const id = local.slice('bounce+'.length);
  return UUID.test(id) ? id : null;
}
