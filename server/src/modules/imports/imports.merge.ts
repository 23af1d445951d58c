/**
 * Merges take their turn, one at a time in this process. Two jobs validate side by side (imports.service.ts), but their
 * merge transactions write the same rows — a town's and a zone's rollups and coverage, the villages both touch — and
 * side by side they would only wait on each other's row locks, or deadlock and fail.
 */
let last: Promise<unknown> = Promise.resolve();
export function oneMergeAtATime<T>(merge: () => Promise<T>): Promise<T> {
  const turn = last.then(() => merge());
  last = turn.catch(() => {});
  return turn;
}
