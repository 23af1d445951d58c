import { type Rng, Weighted } from './rng.ts';

/**
 * Surnames with relative weights (per mille of the population). Order and rough size follow the national 2020
 * household-register ranking (公安部户政管理研究中心《二〇二〇年全国姓名报告》: 王 李 张 刘 陈 …); the weights are
 * bent toward Henan, where 王 李 张 刘 dominate even more and southern names (陈 黄 林 罗) are rarer, and include
 * a few names common around Jiyuan (原, 卫, 苗, 翟, 段, 薛 — several villages carry them: 原昌村, 苗庄村). Illustrative,
 * not statistics: the point is a plausible mix, not a census.
 */
export const DEMO_SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 95], ['李', 85], ['张', 85], ['刘', 60], ['杨', 35], ['陈', 30], ['赵', 30], ['郭', 22], ['周', 18],
  ['孙', 18], ['马', 16], ['徐', 15], ['吴', 14], ['高', 14], ['朱', 13], ['黄', 10], ['胡', 10], ['郑', 10],
  ['宋', 10], ['何', 9], ['韩', 9], ['冯', 9], ['程', 9], ['贾', 8], ['梁', 8], ['许', 8], ['曹', 8], ['田', 7],
  ['董', 7], ['杜', 7], ['魏', 7], ['任', 7], ['史', 7], ['段', 7], ['袁', 6], ['于', 6], ['吕', 6], ['崔', 6],
  ['范', 6], ['薛', 6], ['卫', 6], ['原', 6], ['丁', 5], ['姚', 5], ['卢', 5], ['苏', 5], ['谢', 5], ['牛', 5],
  ['苗', 5], ['翟', 5], ['闫', 5], ['常', 4], ['侯', 4], ['秦', 4], ['罗', 4], ['唐', 4], ['邓', 4], ['蔡', 4],
  ['彭', 4], ['焦', 3], ['聂', 3], ['林', 3],
];

/**
 * Given-name characters by birth cohort and sex. Chinese given names follow fashions closely (the 2020 report's
 * most frequent names per decade: 建国/秀英 in the 1950s, 伟/静 in the 1970s–80s, 浩宇/梓涵 after 2000), so drawing
 * characters from the cohort's pool makes a 1950 grandmother and her 2015 grandson look like their generations.
 */
const POOLS = {
  M: {
    old: '国建军平明华强志德富贵海林成福全忠山文学新民春生长金保发玉义有庆安',
    mid: '伟磊勇军杰涛超明刚强斌波辉鹏飞华亮俊峰龙建东红兵锋凯洋宁晓志',
    young: '浩宇轩子梓博涛鹏晨航睿泽豪一然皓铭俊杰瑞宸辰佑嘉诚逸安奕煜',
  },
  F: {
    old: '秀英兰桂凤芳玉珍荣花梅琴云霞翠莲香菊淑爱素娥春丽巧',
    mid: '丽静敏艳娟霞燕红玲芳慧洁琳婷雪莉晓利萍丹青颖倩璐娜',
    young: '欣怡梓涵雨萱佳琪思悦诗婷可馨一诺若汐语彤紫嘉雅子瑶心宁沐依',
  },
} as const;

const surnames = new Weighted(DEMO_SURNAMES);

export function pickSurname(rng: Rng): string {
  return surnames.pick(rng);
}

/** A given name of one or two characters for someone of `sex` born in `birthYear`. */
export function givenName(rng: Rng, sex: 'M' | 'F', birthYear: number): string {
  const era = birthYear < 1968 ? 'old' : birthYear < 1995 ? 'mid' : 'young';
  const pool = POOLS[sex][era];
  // Single-character given names peaked with the 1960s–80s cohorts (伟, 静, 磊) and are rarer among children.
  const single = era === 'mid' ? 0.3 : era === 'old' ? 0.15 : 0.1;
  const first = pool[Math.floor(rng.next() * pool.length)]!;
  if (rng.chance(single)) return first;
  let second = pool[Math.floor(rng.next() * pool.length)]!;
  if (second === first && !rng.chance(0.2)) second = pool[Math.floor(rng.next() * pool.length)]!; // 婷婷 is fine, sometimes
  return first + second;
}

export function fullName(rng: Rng, surname: string, sex: 'M' | 'F', birthYear: number): string {
  return surname + givenName(rng, sex, birthYear);
}

/**
 * Plausible mobile numbers (1[3-9]\d{9}): common prefixes of the three carriers; '1390391' style numbers with
 * Jiyuan's 0391 area block are overrepresented, as locally issued numbers are.
 */
const PREFIXES = ['130', '131', '132', '133', '134', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155',
  '156', '157', '158', '159', '166', '173', '175', '176', '177', '180', '181', '182', '183', '185', '186', '187',
  '188', '189', '191', '198', '199'] as const;

export function mobileNumber(rng: Rng): string {
  if (rng.chance(0.25)) return `${rng.pick(['135', '138', '139', '137'])}0391${String(rng.int(0, 9999)).padStart(4, '0')}`;
  return rng.pick(PREFIXES) + String(rng.int(0, 99_999_999)).padStart(8, '0');
}
