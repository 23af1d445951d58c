import { z } from 'zod';
import { errors } from '../errors.ts';

/** Opaque keyset cursors: the sort key of the last row, JSON in base64url. */
export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/**
 * The values a cursor may hold, each bounded to what its column can take: a cursor is client input, and a value out
 * of range (2147483648 or 1e308 for an integer column, a NUL or a lone surrogate in text, "x" for a timestamp) would
 * otherwise fail inside PostgreSQL as a 500.
 */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?(?:Z|[+-]\d{2}(?::?\d{2})?)$/;

export const cursorPart = {
  /** PostgreSQL integer (sort keys). */
  int: z.number().int().min(-2147483648).max(2147483647),
  text: z.string().max(500).refine((s) => !s.includes('\u0000') && !/\p{Surrogate}/u.test(s)),
  uuid: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
  /** A timestamp as JSON.stringify writes a Date, or as PostgreSQL prints one; the date and time must exist. */
  timestamp: z.string().regex(TIMESTAMP, { abort: true }).refine((s) => {
    const [, y, mo, d, h, mi, se] = TIMESTAMP.exec(s)!.map(Number) as number[];
    const t = new Date(Date.UTC(y!, mo! - 1, d!, h, mi, se));
    return y! >= 1 && t.getUTCMonth() === mo! - 1 && t.getUTCDate() === d && t.getUTCHours() === h && t.getUTCMinutes() === mi && t.getUTCSeconds() === se;
  }),
};

/** Decodes a cursor and checks it strictly against `schema` (a tuple of cursorPart values); a bad cursor is the client's 400. */
export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    v = undefined;
  }
  const r = schema.safeParse(v);
  if (r.success) return r.data;
  throw errors.validation('cursor 无效', [{ path: 'querystring/cursor', message: 'invalid cursor' }]);
}
