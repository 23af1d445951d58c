import type { Page } from 'playwright-core';
import { KEJING_VILLAGES } from '../../src/accounts.ts';
import { randomBirthDate, syntheticIdNumber } from '../../src/id-numbers.ts';
import { runName } from '../../src/names.ts';
import { openLoggedIn } from '../../src/session.ts';

/** The demo member account's person (server/src/seed/accounts.ts), in the secretary's village. */
export const MEMBER = '李秀英';

/** A household of this run: the head at home and a son working away (省外), linked to the demo member. */
export interface VisitHousehold { id: string; head: string; away: string; memberId: string }

/**
 * As the secretary, through the API as the app would: registers a household of two (one away) in the secretary's
 * village and links it to the demo member, so 今天 has a row of this run's own to visit.
 */
export async function registerHouseholdForMember(): Promise<VisitHousehold> {
  const run = Math.floor(Math.random() * 1e6);
  const head = runName('访', run);
  const away = `${head.slice(0, 1)}外${'山川河海'[run % 4]}`;
  const birth = randomBirthDate();
  const sonBirth = randomBirthDate();
  const sec = await openLoggedIn('secretary');
  try {
    await sec.page.goto('/');
    return await sec.page.evaluate(async ({ village, member, head, away, birth, sonBirth, ids, run }) => {
      const me = await fetch('/api/v1/auth/me').then((r) => r.json());
      const headers = { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': me.data.csrfToken };
      const post = async (url: string, body: unknown) => {
        const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
        if (res.status !== 201) throw new Error(`${url}: ${res.status} ${await res.text()}`);
        return (await res.json()).data.id as string;
      };
      const id = await post('/api/v1/households', {
        orgCode: village, address: `走访测试路${run}号`,
        residents: [
          { name: head, sex: 'M', birthDate: birth, idNumber: ids[0], relation: '户主' },
          { name: away, sex: 'M', birthDate: sonBirth, idNumber: ids[1], relation: '子', awayScope: 'province', awayPlace: '广东东莞' },
        ],
      });
      const members = await fetch(`/api/v1/coverage/members?org=${village}&q=${encodeURIComponent(member)}`).then((r) => r.json());
      const person = members.data.find((m: { name: string }) => m.name === member);
      if (!person) throw new Error(`member ${member} not found`);
      await post('/api/v1/links', { personId: person.id, householdId: id });
      return { id, head, away, memberId: person.id as string };
    }, {
      village: KEJING_VILLAGES[0]!, member: MEMBER, head, away, birth, sonBirth, run,
      ids: [syntheticIdNumber(birth, 'M', 1 + (run % 499) * 2), syntheticIdNumber(sonBirth, 'M', 3 + (run % 497) * 2)],
    });
  } finally {
    await sec.close();
  }
}

/** The household's visits as the API lists them (to check what was saved, and that it was saved once). */
export async function visitsOf(page: Page, householdId: string): Promise<{
  id: string; channel: string; proxy: boolean; personName: string; notes: string;
  residents: { name: string }[]; items: { categoryName: string; description: string; urgency: string }[]; photos: unknown[];
}[]> {
  return page.evaluate(async (id) => {
    const res = await fetch(`/api/v1/visits?household=${id}`);
    if (res.status !== 200) throw new Error(`visits: ${res.status} ${await res.text()}`);
    return (await res.json()).data;
  }, householdId);
}

/** A real (1×1) PNG: the server re-encodes what it receives, so the photo must be an image. */
export const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
