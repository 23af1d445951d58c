import type { Page } from 'playwright-core';

/** A visit as the phone's queue keeps it before it is sent (features/offline/offline-db.ts QueuedVisit.input). */
export interface QueuedInput {
  householdId: string;
  visitedAt: string;
  channel: string;
  notes?: string;
}

/** The 待同步 card on the home page (features/offline): visits on this phone not yet on the server. */
export class OfflineQueueCard {
  constructor(readonly page: Page) {}

  readonly card = () => this.page.getByRole('region', { name: /^待同步 \d+ 条$/ });
  readonly title = () => this.page.getByRole('heading', { level: 2, name: /^待同步 \d+ 条$/ });
  readonly items = () => this.page.getByRole('list', { name: '待同步的走访' }).getByRole('listitem');
  readonly offlineNote = () => this.page.getByText('当前没有网络', { exact: true });
  /** The queued visit whose line names `subject` (e.g. 「张三户」). */
  readonly item = (subject: string) => this.items().filter({ hasText: subject });

  /** The refusal shown under a queued visit (its title 未被接收 and the server's reason). */
  readonly refusal = (subject: string) => this.item(subject).getByRole('alert');

  /** 修改 a refused visit's time (Shanghai, datetime-local value) and notes, then 重新提交. */
  async correctAndResend(subject: string, fields: { time?: string; notes?: string }): Promise<void> {
    const item = this.item(subject);
    await item.getByRole('button', { name: '修改' }).click();
    if (fields.time !== undefined) await item.getByLabel('走访时间').fill(fields.time);
    if (fields.notes !== undefined) await item.getByLabel('情况记录').fill(fields.notes);
    await item.getByRole('button', { name: '重新提交' }).click();
  }

  /** 删除 a refused visit and confirm it. */
  async deleteRefused(subject: string): Promise<void> {
    await this.item(subject).getByRole('button', { name: '删除' }).click();
    await this.page.getByRole('tooltip').getByRole('button', { name: '删除' }).click();
  }

  /** The N of "待同步 N 条", or 0 when the card is not shown (nothing waiting, online). */
  async count(): Promise<number> {
    if ((await this.title().count()) === 0) return 0;
    return Number(/待同步 (\d+) 条/.exec((await this.title().textContent()) ?? '')?.[1] ?? NaN);
  }

  /**
   * Puts visits into the phone's queue (IndexedDB) exactly as 保存 with no network stores them — for what the form
   * cannot produce (a phone whose clock runs ahead, a household that no longer exists). Photos as base64 PNGs.
   * The page shows them after its next load.
   */
  async putQueued(visits: { subjectName: string; input: QueuedInput; photos?: string[] }[]): Promise<string[]> {
    return this.page.evaluate(async (list) => {
      const owner = (JSON.parse(localStorage.getItem('lianxin.me') ?? '{}') as { account?: { id: string } }).account?.id;
      if (!owner) throw new Error('no remembered session');
      // The app creates the database (and its stores) when its queue is first read: opening it before would make an
      // empty one the app then cannot upgrade.
      for (let i = 0; !(await indexedDB.databases()).some((d) => d.name === 'lianxin-offline'); i++) {
        if (i > 100) throw new Error('the app has not opened its offline database');
        await new Promise((r) => setTimeout(r, 100));
      }
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open('lianxin-offline');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const tx = db.transaction('visits', 'readwrite');
      const store = tx.objectStore('visits');
      const ids: string[] = [];
      for (const [i, v] of list.entries()) {
        const id = crypto.randomUUID();
        ids.push(id);
        const photos = (v.photos ?? []).map((png) => new Blob([Uint8Array.from(atob(png), (c) => c.charCodeAt(0))], { type: 'image/png' }));
        store.put({
          id, owner, subjectName: v.subjectName, photos, queuedAt: new Date(Date.now() + i).toISOString(),
          state: 'pending', reason: null, saved: false, photosSent: 0,
          input: { id, residentIds: [], notes: '', items: [], ...v.input },
        });
      }
      await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
      db.close();
      return ids;
    }, visits);
  }
}
