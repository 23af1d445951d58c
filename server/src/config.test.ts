import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const ring = JSON.stringify({ current: 'k1', keys: { k1: Buffer.alloc(32, 1).toString('base64') } });

describe('loadConfig', () => {
  it('throws ConfigError listing every problem when production lacks SESSION_SECRET and LIANXIN_KEYRING and sets a demo password', () => {
    try {
      loadConfig({ NODE_ENV: 'production', DATA_DIR: '/tmp/lx-none', LIANXIN_DEMO_PASSWORD: 'whatever-123' });
      expect.fail('should throw');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const msg = (e as ConfigError).problems.join('\n');
      expect(msg).toContain('SESSION_SECRET');
      expect(msg).toContain('LIANXIN_KEYRING');
      expect(msg).toContain('LIANXIN_DEMO_PASSWORD');
      expect(msg).toContain('LIANXIN_PUBLIC_URL');
    }
  });

  it('accepts a complete production configuration and disables demo accounts', () => {
    const c = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), LIANXIN_KEYRING: ring, DATABASE_URL: 'postgres://u@h/db', LIANXIN_PUBLIC_URL: 'https://lianxin.example.cn/path' });
    expect(c.production).toBe(true);
    expect(c.publicUrl).toBe('https://lianxin.example.cn');
    expect(c.demoPassword).toBeNull();
    expect(c.keyring.current).toBe('k1');
  });

  it('rejects a LIANXIN_PUBLIC_URL that is not an http(s) URL', () => {
    expect(() => loadConfig({ DATA_DIR: '/tmp/lx-none', SESSION_SECRET: 'x'.repeat(40), LIANXIN_KEYRING: ring, LIANXIN_PUBLIC_URL: 'javascript:alert(1)' }))
      .toThrow(/LIANXIN_PUBLIC_URL/);
  });

  it('rejects a keyring whose key is not 32 bytes and a malformed DATABASE_URL', () => {
    expect(() => loadConfig({ SESSION_SECRET: 'x'.repeat(40), LIANXIN_KEYRING: JSON.stringify({ current: 'a', keys: { a: 'c2hvcnQ=' } }), DATABASE_URL: 'mysql://x' }))
      .toThrow(/32 字节[\s\S]*DATABASE_URL|DATABASE_URL[\s\S]*32 字节/);
  });

  it('listens on 127.0.0.1 outside production and 0.0.0.0 in production unless HOST names an interface', () => {
    const dev = { DATA_DIR: '/tmp/lx-none', SESSION_SECRET: 'x'.repeat(40), LIANXIN_KEYRING: ring };
    const prod = { ...dev, NODE_ENV: 'production', LIANXIN_PUBLIC_URL: 'https://lianxin.example.cn' };
    expect(loadConfig(dev).host).toBe('127.0.0.1');
    expect(loadConfig({ ...dev, NODE_ENV: 'test' }).host).toBe('127.0.0.1');
    expect(loadConfig(prod).host).toBe('0.0.0.0');
    expect(loadConfig({ ...dev, HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({ ...prod, HOST: '10.0.0.5' }).host).toBe('10.0.0.5');
  });

  it('trusts no proxy by default, and accepts a hop count or the proxies\' addresses and CIDRs in LIANXIN_TRUST_PROXY', () => {
    const base = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), LIANXIN_KEYRING: ring, LIANXIN_PUBLIC_URL: 'https://lianxin.example.cn' };
    expect(loadConfig(base).trustProxy).toBe(false);
    expect(loadConfig({ ...base, LIANXIN_TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ ...base, LIANXIN_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ ...base, LIANXIN_TRUST_PROXY: '10.0.0.1, 10.1.0.0/16,::1,fd00::/8,loopback' }).trustProxy)
      .toEqual(['10.0.0.1', '10.1.0.0/16', '::1', 'fd00::/8', 'loopback']);
  });

  it('rejects LIANXIN_TRUST_PROXY=true (any client could forge its address), a hostname and a bad CIDR', () => {
    const base = { DATA_DIR: '/tmp/lx-none', SESSION_SECRET: 'x'.repeat(40), LIANXIN_KEYRING: ring };
    for (const bad of ['true', 'proxy.example.cn', '10.0.0.0/33', '10.0.0.1/8/1', '-1']) {
      expect(() => loadConfig({ ...base, LIANXIN_TRUST_PROXY: bad }), bad).toThrow(/LIANXIN_TRUST_PROXY/);
    }
  });
});
