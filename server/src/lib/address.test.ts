import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTestApp, type TestApp } from '../../test/app.ts';
import { chineseNumeral, compareAddresses, normalizeAddress } from './address.ts';

/** One table for both implementations: the TypeScript functions and the SQL functions of migration 0008. */
const CASES: [input: string, norm: string][] = [
  ['1组 10号', '1组10号'],
  ['1组10号', '1组10号'],
  ['  1 组\t10 号 ', '1组10号'],
  ['１组　１０号', '1组10号'], // full-width digits and the ideographic space
  ['三组 5号', '3组5号'],
  ['第三组 十号', '第3组10号'],
  ['十一组 二十号', '11组20号'],
  ['一百零五号', '105号'],
  ['一〇五号', '105号'],
  ['两栋二单元三楼', '2栋2单元3楼'],
  ['五一路 12号', '五一路12号'], // a road's name is not a number: 路 is not a unit
  ['三里村 一组 九号', '三里村1组9号'],
  ['Ａ栋 B座', 'a栋b座'],
  ['克井镇 枣庙村 12组 3号', '克井镇枣庙村12组3号'],
  ['幸福小区3号楼2单元201', '幸福小区3号楼2单元201'],
  ['百号', '100号'],
  ['', ''],
];

describe('address normalizer', () => {
  it('reads Chinese numerals as people do', () => {
    expect(chineseNumeral('三')).toBe('3');
    expect(chineseNumeral('十')).toBe('10');
    expect(chineseNumeral('十一')).toBe('11');
    expect(chineseNumeral('二十')).toBe('20');
    expect(chineseNumeral('九十九')).toBe('99');
    expect(chineseNumeral('一百一十')).toBe('110');
    expect(chineseNumeral('一百零五')).toBe('105');
  });

  it.each(CASES)('normalizes %j to %j', (input, norm) => {
    expect(normalizeAddress(input)).toBe(norm);
  });

  it('orders by number value, and 三组 with 3组', () => {
    const addresses = ['1组 19号', '1组 1号', '1组 20号', '1组 9号', '1组 2号', '1组 10号', '三组 1号', '2组 1号', '10组 1号'];
    const sorted = [...addresses].sort((a, b) => compareAddresses(normalizeAddress(a), normalizeAddress(b)));
    expect(sorted).toEqual(['1组 1号', '1组 2号', '1组 9号', '1组 10号', '1组 19号', '1组 20号', '2组 1号', '三组 1号', '10组 1号']);
  });
});

describe('the SQL functions agree with the TypeScript ones', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await setupTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('gives the same normalized form for every case', async () => {
    const inputs = [...CASES.map((c) => c[0]), '1组 9号', 'Ω栋\u2028三号'];
    const { rows } = await t.database.pool.query<{ input: string; norm: string }>(`
      SELECT x AS input, lx_address_norm(x) AS norm FROM unnest($1::text[]) AS x`, [inputs]);
    expect(rows.map((r) => [r.input, r.norm])).toEqual(inputs.map((s) => [s, normalizeAddress(s)]));
  });

  it('orders address_norm (collation lx_natural) as compareAddresses does: 1号, 2号, 9号, 10号, 19号, 20号; 三组 with 3组', async () => {
    const addresses = ['1组 19号', '1组 1号', '1组 20号', '1组 9号', '1组 2号', '1组 10号', '三组 1号', '2组 1号', '10组 1号', '3组 2号'];
    const { rows } = await t.database.pool.query<{ a: string }>(`
      SELECT a FROM unnest($1::text[]) AS a ORDER BY lx_address_norm(a) COLLATE lx_natural, a`, [addresses]);
    const expected = ['1组 1号', '1组 2号', '1组 9号', '1组 10号', '1组 19号', '1组 20号', '2组 1号', '三组 1号', '3组 2号', '10组 1号'];
    expect(rows.map((r) => r.a)).toEqual(expected);
    expect([...addresses].sort((a, b) => compareAddresses(normalizeAddress(a), normalizeAddress(b)) || (a < b ? -1 : 1))).toEqual(expected);
  });
});
