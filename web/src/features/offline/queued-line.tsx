import { channelLabels } from '../visits/visit-labels.ts';
import type { QueuedVisit } from './offline-db.ts';

const when = (iso: string) =>
  new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });

/** A visit waiting on this phone, in one line: whom, how, when, photos. */
export function QueuedLine({ v }: { v: QueuedVisit }) {
  return (
    <span>
      {v.subjectName || '走访'} · {channelLabels[v.input.channel]} · {when(v.input.visitedAt)}
      {v.photos.length > 0 && ` · ${v.photos.length} 张照片`}
    </span>
  );
}
