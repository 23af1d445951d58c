import { sql, type SQL } from 'drizzle-orm';

/** `path` is `root` or below it (materialized paths: codes joined by `/`). */
export function isWithin(path: string, root: string): boolean {
  return path === root || path.startsWith(root + '/');
}

/** `path` is one of `roots` or below one of them: the in-memory twin of `underAny`. */
export function within(path: string, roots: string[]): boolean {
  return roots.some((r) => isWithin(path, r));
}

/** `LIKE` pattern for the strict descendants of a materialized path; LIKE's own metacharacters are escaped. */
export function likePrefix(path: string): string {
  return path.replace(/[\\%_]/g, (c) => '\\' + c) + '/%';
}

/** `column` is one of `roots` or below one of them (the scope filter every list applies); no roots → nothing. */
export function underAny(column: SQL, roots: string[]): SQL {
  if (!roots.length) return sql`false`;
  return sql.join(roots.map((r) => sql`(${column} = ${r} OR ${column} LIKE ${likePrefix(r)})`), sql` OR `);
}
