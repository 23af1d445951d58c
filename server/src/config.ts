import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

/**
 * Configuration names are fixed by ../shared/ARCHITECTURE.md so later work doesn't retrofit them.
 * Every problem is collected and printed together; the process exits rather than half-starting.
 */
export const DEMO_PASSWORD_DEFAULT = 'lianxin-demo-2026';

const keyring = z.object({
  current: z.string().min(1),
  keys: z.record(
    z.string(),
    z.string().refine((k) => Buffer.from(k, 'base64').length === 32, '每个密钥必须是 base64 编码的 32 字节'),
  ),
}).refine((k) => k.current in k.keys, '`current` 必须是 keys 中的一个');
export type Keyring = z.infer<typeof keyring>;

/**
 * Which proxies may tell us the client's address (X-Forwarded-For), passed to Fastify's `trustProxy`: `false` (the
 * socket's address is the client's; a forged header is ignored), a hop count, or the proxies' addresses/CIDRs.
 */
export type TrustProxy = false | number | string[];

export interface Config {
  port: number;
  /** Interface to listen on: 127.0.0.1 outside production (the demo password is published), 0.0.0.0 in production. */
  host: string;
  trustProxy: TrustProxy;
  dataDir: string;
  databaseUrl: string | null;
  production: boolean;
  sessionSecret: string;
  keyring: Keyring;
  demoPassword: string | null;
  /** Minutes of inactivity after which a session ends. */
  sessionIdleMinutes: number;
  /** Hours after login after which a session ends regardless of activity. */
  sessionAbsoluteHours: number;
  /** Failed logins of one username from one address before pauses begin (then 1, 2, 4 … minutes). */
  lockoutThreshold: number;
  /** The longest pause, in minutes. */
  lockoutMinutes: number;
  /** Failed logins of one username across all addresses before addresses it has not logged in from are paused too. */
  lockoutAccountThreshold: number;
  /** Login attempts per IP per minute (@fastify/rate-limit). */
  loginRatePerMinute: number;
  webDist: string | null;
  /** Finished import jobs (and their error rows, which hold uploaded personal data) are deleted after this many days. */
  importRetentionDays: number;
  /** Origin printed into contact-card QR codes; cards outlive requests, so production must name it. */
  publicUrl: string | null;
  /**
   * Where backups are written (LIANXIN_BACKUP_DIR; default <DATA_DIR>/backups with the embedded engine). With
   * DATABASE_URL there is no default (DATA_DIR may not be on the database's machine at all): null = the nightly backup
   * is off and `npm run backup` asks for the variable; a managed server is backed up with its own tools (README).
   */
  backupDir: string | null;
  /** Complete backups kept by the nightly job (LIANXIN_BACKUP_KEEP). */
  backupKeep: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`配置错误 / invalid configuration:\n- ${problems.join('\n- ')}`);
  }
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) {
    problems.push(`${name} must be a positive integer, got "${raw}"`);
    return fallback;
  }
  return n;
}

/** proxy-addr's names for address ranges, accepted beside literal addresses and CIDRs. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function trustProxy(raw: string | undefined, problems: string[]): TrustProxy {
  const value = raw?.trim() ?? '';
  if (value === '' || value === 'false' || value === '0') return false;
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
  const bad = entries.filter((e) => {
    if (PROXY_RANGE_NAMES.has(e)) return false;
    const [ip, bits, extra] = e.split('/');
    const family = isIP(ip ?? '');
    if (!family || extra !== undefined) return true;
    return bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
  });
  if (bad.length || !entries.length) {
    problems.push(`LIANXIN_TRUST_PROXY must be false, a hop count (1) or the proxies' addresses/CIDRs (10.0.0.1,10.1.0.0/16), got "${raw}"`
      + (value === 'true' ? ' — "true" would trust any client\'s X-Forwarded-For' : ''));
    return false;
  }
  return entries;
}

/** Development secrets live in DATA_DIR so restarts keep sessions and encrypted data readable. */
function devSecret(dataDir: string, file: string, make: () => string): string {
  const p = path.join(dataDir, file);
  if (existsSync(p)) return readFileSync(p, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const value = make();
  writeFileSync(p, value + '\n', { mode: 0o600 });
  return value;
}

/**
 * For the commands (server, backup, restore, create-admin): the configuration, or null after printing every problem
 * to stderr — the caller exits with status 2.
 */
export function loadConfigOrReport(prefix = ''): Config | null {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) { process.stderr.write(prefix + e.message + '\n'); return null; }
    throw e;
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const production = env.NODE_ENV === 'production';
  const dataDir = path.resolve(env.DATA_DIR || './data');
  const port = env.PORT === '0' ? 0 : int(env, 'PORT', 3000, problems);

  let databaseUrl: string | null = null;
  if (env.DATABASE_URL) {
    try {
      const u = new URL(env.DATABASE_URL);
      if (!/^postgres(ql)?:$/.test(u.protocol)) problems.push('DATABASE_URL must start with postgres:// or postgresql://');
      databaseUrl = env.DATABASE_URL;
    } catch {
      problems.push('DATABASE_URL is not a valid URL');
    }
  }

  let sessionSecret = env.SESSION_SECRET ?? '';
  if (!sessionSecret) {
    if (production) problems.push('SESSION_SECRET is required when NODE_ENV=production');
    else sessionSecret = devSecret(dataDir, 'session-secret', () => randomBytes(32).toString('base64'));
  } else if (sessionSecret.length < 32) {
    problems.push('SESSION_SECRET must be at least 32 characters');
  }

  let ring: Keyring = { current: 'dev', keys: { dev: Buffer.alloc(32).toString('base64') } };
  const rawRing = env.LIANXIN_KEYRING
    ?? (production ? undefined : devSecret(dataDir, 'keyring.json', () =>
      JSON.stringify({ current: 'k1', keys: { k1: randomBytes(32).toString('base64') } })));
  if (!rawRing) {
    problems.push('LIANXIN_KEYRING is required when NODE_ENV=production (JSON {"current":"k1","keys":{"k1":"<base64 32 bytes>"}})');
  } else {
    try {
      const parsed = keyring.safeParse(JSON.parse(rawRing));
      if (parsed.success) ring = parsed.data;
      else problems.push(`LIANXIN_KEYRING: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    } catch {
      problems.push('LIANXIN_KEYRING is not valid JSON');
    }
  }

  let publicUrl: string | null = null;
  if (env.LIANXIN_PUBLIC_URL) {
    try {
      const u = new URL(env.LIANXIN_PUBLIC_URL);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error();
      publicUrl = u.origin;
    } catch {
      problems.push('LIANXIN_PUBLIC_URL must be an http(s) URL, e.g. https://lianxin.jiyuan.gov.cn');
    }
  } else if (production) {
    problems.push('LIANXIN_PUBLIC_URL is required when NODE_ENV=production (printed into contact-card QR codes)');
  }

  let demoPassword: string | null = env.LIANXIN_DEMO_PASSWORD ?? null;
  if (production) {
    if (demoPassword) problems.push('LIANXIN_DEMO_PASSWORD must not be set when NODE_ENV=production (demo accounts are refused)');
    demoPassword = null;
  } else {
    demoPassword ??= DEMO_PASSWORD_DEFAULT;
    if (demoPassword.length < 8) problems.push('LIANXIN_DEMO_PASSWORD must be at least 8 characters');
  }

  const config: Config = {
    port,
    // Outside production the demo accounts share a published password: reachable from this machine only unless HOST says otherwise.
    host: env.HOST || (production ? '0.0.0.0' : '127.0.0.1'),
    trustProxy: trustProxy(env.LIANXIN_TRUST_PROXY, problems),
    dataDir,
    databaseUrl,
    production,
    sessionSecret,
    keyring: ring,
    demoPassword,
    sessionIdleMinutes: int(env, 'LIANXIN_SESSION_IDLE_MINUTES', 120, problems),
    sessionAbsoluteHours: int(env, 'LIANXIN_SESSION_ABSOLUTE_HOURS', 24 * 7, problems),
    lockoutThreshold: int(env, 'LIANXIN_LOCKOUT_THRESHOLD', 5, problems),
    lockoutMinutes: int(env, 'LIANXIN_LOCKOUT_MINUTES', 15, problems),
    lockoutAccountThreshold: int(env, 'LIANXIN_LOCKOUT_ACCOUNT_THRESHOLD', 50, problems),
    loginRatePerMinute: int(env, 'LIANXIN_LOGIN_RATE_PER_MINUTE', 20, problems),
    webDist: env.LIANXIN_WEB_DIST ?? null,
    importRetentionDays: int(env, 'LIANXIN_IMPORT_RETENTION_DAYS', 30, problems),
    publicUrl,
    backupDir: env.LIANXIN_BACKUP_DIR ? path.resolve(env.LIANXIN_BACKUP_DIR) : databaseUrl ? null : path.join(dataDir, 'backups'),
    backupKeep: int(env, 'LIANXIN_BACKUP_KEEP', 14, problems),
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}
