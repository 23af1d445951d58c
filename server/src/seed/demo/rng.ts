import { createHash } from 'node:crypto';

/**
 * Deterministic randomness for synthetic data. sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, as in
 * PractRand) has 128 bits of state, so UUIDs drawn from it do not collide the way a 32-bit-state generator's would
 * (mulberry32 can only produce 2^32 distinct 128-bit values). Each stream is seeded from SHA-256 of a label, so
 * e.g. a village's data depend only on (seed, village code) — not on which other villages were generated.
 */
export class Rng {
  private a: number; private b: number; private c: number; private d: number;

  constructor(label: string) {
    const h = createHash('sha256').update(label).digest();
    this.a = h.readUInt32LE(0); this.b = h.readUInt32LE(4); this.c = h.readUInt32LE(8); this.d = h.readUInt32LE(12);
    for (let i = 0; i < 12; i++) this.u32(); // warm-up, as recommended for sfc32
  }

  /** Uniform 32-bit unsigned integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number { return this.u32() / 4294967296; }
  /** Integer in [lo, hi] inclusive. */
  int(lo: number, hi: number): number { return lo + Math.floor(this.next() * (hi - lo + 1)); }
  chance(p: number): boolean { return this.next() < p; }
  pick<T>(items: readonly T[]): T { return items[Math.floor(this.next() * items.length)]!; }
  /** Approximately normal (Irwin–Hall of 4), clamped to [lo, hi]. */
  normal(mean: number, sd: number, lo: number, hi: number): number {
    const z = (this.next() + this.next() + this.next() + this.next() - 2) * Math.sqrt(3);
    return Math.min(hi, Math.max(lo, mean + z * sd));
  }

  /** A version-4-shaped UUID (random bits from this stream, version and variant bits set). */
  uuid(): string {
    const h = (n: number) => n.toString(16).padStart(8, '0');
    const a = this.u32(), b = this.u32(), c = this.u32(), d = this.u32();
    const b2 = ((b & 0xffff0fff) | 0x00004000) >>> 0; // version 4
    const c2 = ((c & 0x3fffffff) | 0x80000000) >>> 0; // variant 10xx
    const x = h(a) + h(b2) + h(c2) + h(d);
    return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
  }
}

/** Cumulative table for O(log n) weighted picks. */
export class Weighted<T> {
  private readonly items: T[];
  private readonly cum: number[];
  private readonly total: number;

  constructor(entries: readonly (readonly [T, number])[]) {
    this.items = entries.map((e) => e[0]);
    let s = 0;
    this.cum = entries.map((e) => (s += e[1]));
    this.total = s;
  }

  pick(rng: Rng): T {
    const x = rng.next() * this.total;
    let lo = 0, hi = this.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cum[mid]! > x) hi = mid; else lo = mid + 1;
    }
    return this.items[lo]!;
  }
}
