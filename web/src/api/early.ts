/**
 * Requests the entry (main.tsx) starts before the app's code has arrived, so that on a weak signal the session and the
 * member's 今天 travel while the scripts download instead of after them. api() takes each response once, for the first
 * GET of the same path; a path nobody asks for is simply dropped with the page.
 */
const early = new Map<string, Promise<Response>>();

export function startEarly(path: string): Promise<Response> {
  const res = fetch(path, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  early.set(path, res);
  // Nobody may ever take it (say, the app asked first): a failure is then nobody's to report.
  res.catch(() => {});
  return res;
}

export function takeEarly(path: string): Promise<Response> | undefined {
  const res = early.get(path);
  early.delete(path);
  return res;
}
