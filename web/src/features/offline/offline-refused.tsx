import { useState } from 'react';
import { Alert, App, Button, Flex, Input, Popconfirm, Select } from 'antd';
import type { VisitChannel } from '@lianxin/contracts';
import { channelOptions } from '../visits/visit-labels.ts';
import type { QueuedVisit } from './offline-db.ts';
import { QueuedLine } from './queued-line.tsx';
import { syncNow } from './sync.ts';
import { putQueued, removeQueued } from './visit-queue.ts';

/** A refused visit: the reason, and (when the visit itself was refused) its time, way and notes to correct. */
export function RefusedVisit({ v }: { v: QueuedVisit }) {
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
              options={channelOptions}
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
