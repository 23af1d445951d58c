import { KEJING_VILLAGES } from './accounts.ts';
import { randomBirthDate, syntheticIdNumber } from './id-numbers.ts';
import { runName } from './names.ts';
import { openLoggedIn } from './session.ts';

/** The demo member account's person (server/src/seed/accounts.ts), in the secretary's village. */
export const DEMO_MEMBER_NAME = '李秀英';

/**
 * As the secretary (through the API, as the app would): registers a household and a shop in the secretary's village
 * and links both to the demo member — so the registry pages, and the member's own households, have a record to open —
 * and a grid of this run's own, which no other spec merges or retires (the grids spec ends its own grids while others
 * run: a crawl that had picked one of those would find it gone).
 */
export async function registerLinkedToMember(): Promise<{ householdId: string; businessId: string; gridCode: string }> {
  const run = Math.floor(Math.random() * 1e6);
  const birth = randomBirthDate();
  const head = { name: runName('巡检', run), birth, phone: `137${String(run).padStart(8, '0')}`, idNumber: syntheticIdNumber(birth, 'M', 1 + (run % 499) * 2) };
  const sec = await openLoggedIn('secretary');
  try {
    await sec.page.goto('/');
    return await sec.page.evaluate(async ({ village, member, head, run }) => {
      const me = await fetch('/api/v1/auth/me').then((r) => r.json());
      const headers = { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': me.data.csrfToken };
      const post = async (url: string, body: unknown) => {
        const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
        if (res.status !== 201) throw new Error(`${url}: ${res.status} ${await res.text()}`);
        return (await res.json()).data.id as string;
      };
      const householdId = await post('/api/v1/households', {
        orgCode: village, address: `巡检路${run}号`,
        residents: [{ name: head.name, sex: 'M', birthDate: head.birth, idNumber: head.idNumber, phone: head.phone, relation: '户主' }],
      });
      const businessId = await post('/api/v1/businesses', { kind: 'shop', orgCode: village, name: `巡检小卖部${run}`, address: `巡检路${run}号附1` });
      const members = await fetch(`/api/v1/coverage/members?org=${village}&q=${encodeURIComponent(member)}`).then((r) => r.json());
      const person = members.data.find((m: { name: string }) => m.name === member);
      if (!person) throw new Error(`member ${member} not found`);
      await post('/api/v1/links', { personId: person.id, householdId });
      await post('/api/v1/links', { personId: person.id, businessId });
      const grid = await fetch('/api/v1/grids', { method: 'POST', headers, body: JSON.stringify({ villageCode: village, name: `巡检网格${run}` }) });
      if (grid.status !== 201) throw new Error(`/api/v1/grids: ${grid.status} ${await grid.text()}`);
      return { householdId, businessId, gridCode: (await grid.json()).data.code as string };
    }, { village: KEJING_VILLAGES[0]!, member: DEMO_MEMBER_NAME, head, run });
  } finally {
    await sec.close();
  }
}
