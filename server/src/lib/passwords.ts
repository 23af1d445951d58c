import { randomInt } from 'node:crypto';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';

/**
 * The password policy, one place for every path that sets a password (change, reset, create-admin):
 * at least 10 characters, at most 128 (argon2 takes any length; the cap only bounds the work one request can ask for),
 * and zxcvbn's score ≥ 3 with its common-password and English dictionaries plus the account's own words (username,
 * display name) — "lianxin2024", "Password123" and the username with digits are refused.
 */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;
const MIN_SCORE = 3;

let zxcvbn: ZxcvbnFactory | null = null;
function checker(): ZxcvbnFactory {
  // Built on first use: the dictionaries are a few MB of JSON that boot need not parse.
  zxcvbn ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary, lianxin: ['lianxin', 'jiyuan', 'dangqun', 'lianxinban', 'dangyuan'] },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  });
  return zxcvbn;
}

/** Why a password is refused, in Chinese for the user, or null when it is acceptable. */
export function passwordProblem(password: string, userInputs: string[] = []): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return `密码至少 ${PASSWORD_MIN} 个字符`;
  if (length > PASSWORD_MAX) return `密码最多 ${PASSWORD_MAX} 个字符`;
  const result = checker().check(password, userInputs.filter(Boolean));
  if (result.score < MIN_SCORE) return '密码太容易被猜到：请避免常见密码、用户名、姓名拼音和简单规律，可用几个不相关的词加数字';
  return null;
}

// No 0/O, 1/l/I: one-time passwords are read off paper and typed on phones.
const OTP_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/**
 * A one-time password: 12 characters from a 31-letter alphabet in groups of four (≈ 59 bits), e.g. "k7mq-4xta-9wpe".
 * Strong enough to pass the policy on its own; it must be changed at first login anyway.
 */
export function generateOneTimePassword(): string {
  const groups: string[] = [];
  for (let g = 0; g < 3; g++) {
    let s = '';
    for (let i = 0; i < 4; i++) s += OTP_ALPHABET[randomInt(OTP_ALPHABET.length)];
    groups.push(s);
  }
  return groups.join('-');
}
