import { errors } from '../errors.ts';

/**
 * Runs `fn`; a violation of the unique index `constraint` — a concurrent write that the service's own checks could not
 * see (another request, an import's merge) — becomes 409 with `message` instead of a 500. Other errors pass through.
 */
export async function uniqueAs409<T>(constraint: string, message: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const pgErr = (e as { cause?: { code?: string; constraint?: string } }).cause ?? (e as { code?: string; constraint?: string });
    if (pgErr.code === '23505' && pgErr.constraint === constraint) throw errors.conflict(message);
    throw e;
  }
}
