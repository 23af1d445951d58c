import type { FastifyInstance } from 'fastify';
import { errors } from '../errors.ts';

/** With the u flag a surrogate pair is one code point: only a lone surrogate matches. */
const LONE_SURROGATE = /\p{Surrogate}/u;
const wellFormed = (s: string) => !LONE_SURROGATE.test(s);

/** The first value (string or object key) under `v` that is not well-formed UTF-16, as a path; null when all are. */
function illFormedAt(v: unknown, path: string, depth = 0): string | null {
  if (typeof v === 'string') return wellFormed(v) ? null : path;
  // Parsed JSON only (plain objects and arrays): an upload's Buffer or stream is the import's business.
  if (v === null || typeof v !== 'object' || depth > 64) return null;
  const proto = Object.getPrototypeOf(v) as unknown;
  if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) return null;
  for (const [k, x] of Object.entries(v)) {
    if (!wellFormed(k)) return path;
    const at = illFormedAt(x, `${path}/${k}`, depth + 1);
    if (at) return at;
  }
  return null;
}

/**
 * JSON may spell a lone UTF-16 surrogate (`"x\ud800"`), which no text column and no JSON(B) value can hold: PostgreSQL
 * refuses it deep inside a write (the audit event's JSON), as a 500. Refused here for every route, in the body, the
 * query and the path parameters, before validation: a 400 in the error shape, nothing written.
 */
export function rejectIllFormedText(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    const at = illFormedAt(req.body, 'body') ?? illFormedAt(req.query, 'querystring') ?? illFormedAt(req.params, 'params');
    if (at) throw errors.validation('包含无效字符', [{ path: at, message: 'lone UTF-16 surrogate' }]);
  });
}
