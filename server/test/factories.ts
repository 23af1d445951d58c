import { makeIdNumber } from '../src/lib/id-number.ts';

let seq = 0;

/** A valid resident body (GB 11643 checksum, birth date and sex consistent); every call gives a new ID number. */
export function residentBody(overrides: Record<string, unknown> = {}) {
  const sex = (overrides.sex as 'M' | 'F' | undefined) ?? 'M';
  const birthDate = (overrides.birthDate as string | undefined) ?? '1970-05-17';
  const n = seq++;
  return {
    name: '测试居民',
    sex,
    birthDate,
    idNumber: makeIdNumber('419001', birthDate, (n * 7 + process.pid) % 499, sex),
    phone: '13812345678',
    relation: '户主',
    ...overrides,
  };
}

export function householdBody(orgCode: string, overrides: Record<string, unknown> = {}) {
  return {
    orgCode,
    address: '克井镇 测试村 1组 8号',
    tags: ['低保'],
    residents: [residentBody(), residentBody({ relation: '配偶', sex: 'F', birthDate: '1972-03-02', name: '测试配偶', phone: null })],
    ...overrides,
  };
}
