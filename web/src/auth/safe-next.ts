export const PASSWORD_PAGE = '/account/password';

/** Only same-site paths are accepted as the place to return to after login (no open redirect). */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.startsWith('/login')) return '/';
  return next;
}
