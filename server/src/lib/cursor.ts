import { errors } from '../errors.ts';

/** Opaque keyset cursors: the sort key of the last row, JSON in base64url. */
export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** Decodes a cursor and checks its shape with `parse` (null = malformed); a bad cursor is the client's 400. */
export function decodeCursor<T>(cursor: string, parse: (v: unknown[]) => T | null): T {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    const out = Array.isArray(v) ? parse(v) : null;
    if (out !== null) return out;
  } catch {
    // fall through
  }
  throw errors.validation('cursor 无效', [{ path: 'querystring/cursor', message: 'invalid cursor' }]);
}

export const isUuid = (x: unknown): x is string => typeof x === 'string' && /^[0-9a-f-]{36}$/.test(x);
