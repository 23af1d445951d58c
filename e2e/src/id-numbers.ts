/**
 * Synthetic GB 11643-1999 ID numbers for tests: area 419001 (济源示范区's own code, no real person holds it with these
 * sequences), birth date, a 3-digit sequence (odd for men, even for women), and the ISO 7064 MOD 11-2 check digit.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

export function checkDigit(first17: string): string {
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * WEIGHTS[i]!, 0);
  return CHECK[sum % 11]!;
}

/** birthDate 'YYYY-MM-DD'; seq 1–999 (made odd/even to match the sex). */
export function syntheticIdNumber(birthDate: string, sex: 'M' | 'F', seq: number): string {
  let s = Math.max(1, Math.min(998, seq));
  if ((s % 2 === 1) !== (sex === 'M')) s += 1;
  const first17 = `419001${birthDate.replaceAll('-', '')}${String(s).padStart(3, '0')}`;
  return first17 + checkDigit(first17);
}

/** A random birth date between 1950 and 1999 (day ≤ 28, so always valid), so reruns against one server don't collide. */
export function randomBirthDate(): string {
  const y = 1950 + Math.floor(Math.random() * 50);
  const m = 1 + Math.floor(Math.random() * 12);
  const d = 1 + Math.floor(Math.random() * 28);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
