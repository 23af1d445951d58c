/** Demo accounts seeded by the server (server/src/seed/accounts.ts), all with LIANXIN_DEMO_PASSWORD. */
export const DEMO_PASSWORD = process.env.LIANXIN_DEMO_PASSWORD ?? 'lianxin-demo-2026';
export const KEJING_TOWN = { code: '419001100000', name: '克井镇' };
/** The first two villages of 克井镇 (server/src/seed/data/jiyuan-divisions.csv); the secretary holds one of them. */
export const KEJING_VILLAGES = ['419001100201', '419001100202'];
