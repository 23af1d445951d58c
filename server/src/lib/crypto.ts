import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import type { Keyring } from '../config.ts';

/**
 * Personal data at rest: AES-256-GCM with the keyring's current key. The stored value is
 * `<keyId>:<iv b64>:<tag b64>:<ciphertext b64>`, so values written under an older key stay readable after rotation.
 */
export function encrypt(ring: Keyring, plain: string): string {
  const key = Buffer.from(ring.keys[ring.current]!, 'base64');
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return `${ring.current}:${iv.toString('base64')}:${c.getAuthTag().toString('base64')}:${ct.toString('base64')}`;
}

export function decrypt(ring: Keyring, stored: string): string {
  const [kid, iv, tag, ct] = stored.split(':');
  const k = kid ? ring.keys[kid] : undefined;
  if (!k || !iv || !tag || ct === undefined) throw new Error('cannot decrypt: unknown key id or malformed value');
  const d = createDecipheriv('aes-256-gcm', Buffer.from(k, 'base64'), Buffer.from(iv, 'base64'));
  d.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([d.update(Buffer.from(ct, 'base64')), d.final()]).toString('utf8');
}

/**
 * Keys derived from the *first* key in the ring by a fixed label, so they survive rotation (the encryption key
 * changes; lookup hashes and card signatures must not). Derived once per keyring and label: imports hash hundreds of
 * thousands of values.
 */
const derived = new WeakMap<Keyring, Map<string, Buffer>>();

export function derivedKey(ring: Keyring, label: string): Buffer {
  let m = derived.get(ring);
  if (!m) derived.set(ring, (m = new Map()));
  let k = m.get(label);
  if (!k) {
    const first = Object.keys(ring.keys).sort()[0]!;
    k = createHmac('sha256', Buffer.from(ring.keys[first]!, 'base64')).update(label).digest();
    m.set(label, k);
  }
  return k;
}

/** Keyed hash for exact lookup and duplicate detection of ID numbers. */
export function keyedHash(ring: Keyring, value: string): string {
  return createHmac('sha256', derivedKey(ring, 'lianxin:lookup:v1')).update(value.trim().toUpperCase()).digest('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
