// Signed tokens of the public email links (open pixel, click redirect, unsubscribe / preferences): the message
// id and an HMAC, so an unknown or altered token is refused before any database work.
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

const keyObjects = new WeakMap<Buffer, KeyObject>();
/** A KeyObject per key buffer: HMAC with a raw Buffer re-imports the key on every call. */
function keyObject(key: Buffer): KeyObject {
  let k = keyObjects.get(key);
  if (!k) keyObjects.set(key, (k = createSecretKey(key)));
  return k;
}

/** A message id (a lower-case UUID), as in every tracked link and VERP address. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function mac(key: Buffer, what: string): string {
  return createHmac('sha256', keyObject(key)).update(what).digest('base64url').slice(0, 22);
}

export function signToken(key: Buffer, kind: 'o' | 'c' | 'u', messageId: string, idx?: number): string {
  return mac(key, `${kind}:${messageId}${idx === undefined ? '' : `:${idx}`}`);
}

export function verifyToken(key: Buffer, kind: 'o' | 'c' | 'u', messageId: string, sig: string, idx?: number): boolean {
  if (!UUID.test(messageId) || sig.length !== 22) return false;
  return sameSig(Buffer.from(signToken(key, kind, messageId, idx)), sig);
}

function sameSig(want: Buffer, sig: string): boolean {
  const got = Buffer.from(sig);
  return want.length === got.length && timingSafeEqual(want, got);
}

/**
 * verifyToken with the expected signature kept in `memo` (one per kind and link of a cached message), so a
 * message's repeated opens and clicks compute its HMAC once. The comparison stays constant-time.
 */
export function verifyTokenMemo(memo: Map<string, Buffer>, key: Buffer, kind: 'o' | 'c', messageId: string, sig: string, idx?: number): boolean {
  if (sig.length !== 22) return false;
  const k = idx === undefined ? kind : `${kind}${idx}`;
  let want = memo.get(k);
  if (!want) {
    if (!UUID.test(messageId)) return false;
    memo.set(k, (want = Buffer.from(signToken(key, kind, messageId, idx))));
  }
  return sameSig(want, sig);
}

export interface LinkUrls {
  open: string;
  click(idx: number): string;
  unsubscribe: string;
}

export function linkUrls(key: Buffer, base: string, messageId: string): LinkUrls {
  const b = base.replace(/\/$/, '');
  return {
    open: `${b}/e/o/${messageId}/${signToken(key, 'o', messageId)}.gif`,
    click: (idx) => `${b}/e/c/${messageId}/${idx}/${signToken(key, 'c', messageId, idx)}`,
    unsubscribe: `${b}/e/u/${messageId}/${signToken(key, 'u', messageId)}`,
  };
}
