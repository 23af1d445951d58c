import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { Alert, App, Button, Flex, Input, Popconfirm, Select, Typography } from 'antd';
import type { VisitChannel } from '@lianxin/contracts';
import { CardFrame } from '../home/home-card.tsx';
import type { QueuedVisit } from './offline-db.ts';
import { currentOwner, startOfflineSync, syncNow } from './sync.ts';
import { offlineLabel, useTodayOffline } from './today-cache.ts';
import { putQueued, queuedVisits, queueVersion, removeQueued, subscribeQueue } from './visit-queue.ts';

// The labels of contracts' visitChannelLabels, repeated here: the web takes only types from contracts (bundle budget).
const channelLabels: Record<VisitChannel, string> = { in_person: '入户', evening: '夜访', phone: '电话', wechat: '微信', video: '视频' };

function useOnline(): boolean {
  return useSyncExternalStore(
    (l) => {
      window.addEventListener('online', l);
      window.addEventListener('offline', l);
      return () => {
        window.removeEventListener('online', l);
        window.removeEventListener('offline', l);
      };
    },
    () => navigator.onLine,
  );
}

/** The member's queued visits, read again whenever the queue changes. */
function useQueue(): QueuedVisit[] | null {
  const version = useSyncExternalStore(subscribeQueue, queueVersion);
  const [visits, setVisits] = useState<QueuedVisit[] | null>(null);
  useEffect(() => {
    const owner = currentOwner();
    if (!owner) return;
    let live = true;
    void queuedVisits(owner).then((v) => live && setVisits(v));
    return () => {
      live = false;
    };
  }, [version]);
  return visits;
}

const when = (iso: string) =>
  new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });

/**
 * 待同步 on the member's home: the visits recorded on this phone that are not on the server yet, "没有网络" while
 * offline, and each visit the server refused with its reason — to correct and send again, or to delete on purpose.
 * Loading this card starts the service worker and the queue's sending (features/offline/sync.ts).
 */
export function OfflineQueueCard() {
  useEffect(() => startOfflineSync(), []);
  const online = useOnline();
  const queue = useQueue();
  const [syncing, setSyncing] = useState(false);
  const pending = queue?.filter((v) => v.state === 'pending') ?? [];
  const refused = queue?.filter((v) => v.state === 'refused') ?? [];

  const sync = useCallback(async () => {
    setSyncing(true);
    try {
      await syncNow();
    } catch {
      // Signed out: the login page follows from the next request; the queue stays.
    } finally {
      setSyncing(false);
    }
  }, []);

  if (online && queue !== null && queue.length === 0) return null;
  return (
    // Until IndexedDB answers, no count: "待同步 0 条" there would tell a member offline that nothing is waiting.
    <CardFrame title={queue === null ? '待同步' : `待同步 ${queue.length} 条`} extra={online && pending.length > 0 ? <Button onClick={() => void sync()} loading={syncing}>立即同步</Button> : undefined}>
      {!online && (
        <Alert type="warning" showIcon style={{ marginBottom: 8 }} title="当前没有网络" description="记录的走访先存在这部手机上，联网后自动上传，不会重复。" />
      )}
      <ul aria-label="待同步的走访" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {pending.map((v) => (
          <li key={v.id} style={{ padding: '8px 0', borderBottom: '1px solid #f0f0f0', fontSize: 16 }}>
            <QueuedLine v={v} />
            <Typography.Text type="secondary"> · {v.saved ? '照片上传中' : '等待上传'}</Typography.Text>
          </li>
        ))}
        {refused.map((v) => (
          <li key={v.id} style={{ padding: '8px 0', borderBottom: '1px solid #f0f0f0', fontSize: 16 }}>
            <RefusedVisit v={v} />
          </li>
        ))}
      </ul>
    </CardFrame>
  );
}

function QueuedLine({ v }: { v: QueuedVisit }) {
  return (
    <span>
      {v.subjectName || '走访'} · {channelLabels[v.input.channel]} · {when(v.input.visitedAt)}
      {v.photos.length > 0 && ` · ${v.photos.length} 张照片`}
    </span>
  );
}

/** A refused visit: the reason, and (when the visit itself was refused) its time, way and notes to correct. */
function RefusedVisit({ v }: { v: QueuedVisit }) {
  const { message } = App.useApp();
  const [editing, setEditing] = useState(false);
  const [time, setTime] = useState(() => toLocalInput(v.input.visitedAt));
  const [channel, setChannel] = useState<VisitChannel>(v.input.channel);
  const [notes, setNotes] = useState(v.input.notes);

  async function resend() {
    const visitedAt = fromLocalInput(time);
    if (!visitedAt) {
      void message.error('请填写走访时间');
      return;
    }
    await putQueued({ ...v, input: { ...v.input, visitedAt, channel, notes: notes.trim() }, state: 'pending', reason: null });
    setEditing(false);
    void syncNow().catch(() => {});
  }

  return (
    <div>
      <QueuedLine v={v} />
      <Alert type="error" showIcon role="alert" style={{ margin: '6px 0' }} title={v.saved ? '照片未能上传' : '未被接收'} description={v.reason} />
      {editing && !v.saved && (
        <Flex vertical gap={8} style={{ marginBottom: 8 }}>
          <label>
            走访时间
            <Input type="datetime-local" value={time} onChange={(e) => setTime(e.target.value)} aria-label="走访时间" />
          </label>
          <label>
            走访方式
            <Select<VisitChannel>
              aria-label="走访方式"
              value={channel}
              onChange={setChannel}
              style={{ width: '100%' }}
              options={Object.entries(channelLabels).map(([value, label]) => ({ value: value as VisitChannel, label }))}
            />
          </label>
          <label>
            情况记录
            <Input.TextArea value={notes} maxLength={2000} onChange={(e) => setNotes(e.target.value)} aria-label="情况记录" />
          </label>
        </Flex>
      )}
      <Flex gap={8} wrap>
        {!v.saved && (editing ? (
          <Button type="primary" onClick={() => void resend()}>重新提交</Button>
        ) : (
          <Button onClick={() => setEditing(true)}>修改</Button>
        ))}
        {!v.saved && !editing && <Button onClick={() => void resend()}>重新提交</Button>}
        <Popconfirm
          title={v.saved ? '不再上传这张照片？走访本身已保存。' : '删除这条走访记录？删除后无法恢复。'}
          okText={v.saved ? '不再上传' : '删除'}
          cancelText="取消"
          onConfirm={() => removeQueued(v.id)}
        >
          <Button danger>{v.saved ? '知道了' : '删除'}</Button>
        </Popconfirm>
      </Flex>
    </div>
  );
}

/** 今天 from the phone's copy: how old it is ("离线数据，更新于 HH:mm"). For the 今天 page and card. */
export function OfflineTodayNotice({ person }: { person?: string }) {
  const since = useTodayOffline(person);
  if (!since) return null;
  return <Alert type="warning" showIcon role="status" style={{ marginBottom: 8 }} title={offlineLabel(since)} description="没有网络，显示的是上次联网时的数据。" />;
}

/** ISO → the value of an <input type="datetime-local"> in Shanghai time. */
function toLocalInput(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 8 * 3600_000);
  return d.toISOString().slice(0, 16);
}

/** An <input type="datetime-local"> value (Shanghai time) → ISO with offset; null when empty or invalid. */
function fromLocalInput(v: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v)) return null;
  const t = new Date(`${v}:00+08:00`);
  return Number.isNaN(t.getTime()) ? null : t.toISOString();
}
