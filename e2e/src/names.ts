/**
 * A person's name for this run's records: the prefix and three characters picked by three independent decimal digits
 * of `run` (1,000 names per prefix). Specs find their own rows by these names while other specs' records share the
 * lists; with eight names (the earlier pattern) a run's nine households always shared one (a CI run found two 巡检丁冬).
 */
export function runName(prefix: string, run: number): string {
  const digit = (k: number) => Math.floor(run / 10 ** k) % 10;
  return `${prefix}${'甲乙丙丁戊己庚辛壬癸'[digit(0)]}${'春夏秋冬梅兰竹菊松柏'[digit(1)]}${'明华军伟芳敏静丽强磊'[digit(2)]}`;
}
