import { sql, type SQL } from 'drizzle-orm';

/** `LIKE` pattern for the strict descendants of a materialized path; LIKE's own metacharacters are escaped. */
export function likePrefix(path: string): string {
  return path.replace(/[\\%_]/g, (c) => '\\' + c) + '/%';
}

/** `column` is one of `roots` or below one of them (the scope filter every list applies); no roots → nothing. */
export function underAny(column: SQL, roots: string[]): SQL {
  if (!roots.length) return sql`false`;
  return sql.join(roots.map((r) => sql`(${column} = ${r} OR ${column} LIKE ${likePrefix(r)})`), sql` OR `);
}
