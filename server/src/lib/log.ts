import type { FastifyRequest } from 'fastify';

/**
 * What the logs may hold: never personal data. A failed statement's error carries its SQL parameters (drizzle's
 * "Failed query: … params: 张三,1960-05-17,…") and PostgreSQL quotes offending values in its messages and details,
 * query strings carry searches (?q=张三) and reasons, bodies carry everything. So requests are logged as method and
 * path only, database errors as their code, constraint and stack frames only, and pino redacts the headers and any
 * params, query, body or detail a caller might still pass.
 */
export const LOG_REDACT = {
  paths: [
    'req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]',
    'params', 'query', 'body', 'detail', '*.params', '*.query', '*.body', '*.detail', 'err.cause',
  ],
  censor: '[redacted]',
};

/** The stack's frames without its first lines (which repeat the message). */
function frames(e: Error): string {
  const at = e.stack?.indexOf('\n    at ') ?? -1;
  return at >= 0 ? e.stack!.slice(at + 1) : '';
}

type PgError = Error & { code?: string; severity?: string; routine?: string; constraint?: string; table?: string; column?: string };
const isPgError = (e: unknown): e is PgError => e instanceof Error && typeof (e as PgError).severity === 'string' && typeof (e as PgError).code === 'string';

/** Errors as logged: database errors without message, detail or parameters; others with their message and frames. */
export function serializeError(e: unknown): { type: string; message: string; stack: string; [k: string]: unknown } {
  if (!(e instanceof Error)) return { type: typeof e, message: 'non-error thrown', stack: '' };
  const pg = isPgError(e) ? e : isPgError(e.cause) ? e.cause : null;
  if (pg) {
    return {
      type: e.constructor.name,
      message: `database error ${pg.code}`,
      db: { code: pg.code, severity: pg.severity, routine: pg.routine, constraint: pg.constraint, table: pg.table, column: pg.column },
      stack: frames(e),
    };
  }
  const { code, statusCode } = e as { code?: unknown; statusCode?: unknown };
  return { type: e.constructor.name, message: e.message, code, statusCode, stack: frames(e) };
}

export const logSerializers = {
  err: serializeError,
  // The path without its query string: searches and reasons stay out of the logs.
  req: (req: FastifyRequest) => ({ method: req.method, url: req.url.split('?')[0], routeUrl: req.routeOptions?.url }),
};
