import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Keyring } from '../../config.ts';
import { derivedKey } from '../../lib/crypto.ts';

/**
 * A contact card's QR token: the card id (16 bytes) and a 96-bit HMAC of it under a key derived from the keyring,
 * base64url — 38 characters, small enough for a low-density QR that old phones scan. Forging one needs the keyring;
 * guessing one is hopeless (2^-96 per try, and the public endpoint is rate-limited). Revocation is the card row's
 * revoked_at, set when the card is reprinted, so the token itself never needs to expire.
 */
const LABEL = 'lianxin:contact-card:v1';
const MAC_BYTES = 12;

function mac(ring: Keyring, id: Buffer): Buffer {
  return createHmac('sha256', derivedKey(ring, LABEL)).update(id).digest().subarray(0, MAC_BYTES);
}

export function signCardToken(ring: Keyring, cardId: string): string {
  const id = Buffer.from(cardId.replace(/-/g, ''), 'hex');
  return Buffer.concat([id, mac(ring, id)]).toString('base64url');
}

/** The card id inside a genuine token, or null for anything else (wrong length, bad signature, garbage). */
export function verifyCardToken(ring: Keyring, token: string): string | null {
  if (!/^[A-Za-z0-9_-]{38}$/.test(token)) return null;
  const raw = Buffer.from(token, 'base64url');
  if (raw.length !== 16 + MAC_BYTES) return null;
  const id = raw.subarray(0, 16);
  if (!timingSafeEqual(raw.subarray(16), mac(ring, id))) return null;
  const h = id.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
