import { describe, expect, it } from 'vitest';
import { generateOneTimePassword, passwordProblem } from './passwords.ts';

describe('password policy', () => {
  it('refuses passwords shorter than 10 characters', () => {
    expect(passwordProblem('Xk9#pQ2')).toMatch(/至少 10/);
  });
  it('refuses common passwords and the user\'s own name even when long enough', () => {
    expect(passwordProblem('password123')).toMatch(/容易被猜到/);
    expect(passwordProblem('wangjianguo1971', ['wangjianguo'])).toMatch(/容易被猜到/);
  });
  it('refuses more than 128 characters and accepts a long passphrase', () => {
    expect(passwordProblem('a'.repeat(129))).toMatch(/最多 128/);
    expect(passwordProblem('黄河 小浪底 玉川 2031 桥')).toBeNull();
    expect(passwordProblem('correct horse battery staple 9')).toBeNull();
  });
  it('generates one-time passwords that differ and pass the policy', () => {
    const a = generateOneTimePassword();
    const b = generateOneTimePassword();
    expect(a).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    expect(a).not.toBe(b);
    expect(passwordProblem(a)).toBeNull();
  });
});
