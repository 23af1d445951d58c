import { useState } from 'react';
import { Alert, Button, Drawer, Form, Grid, Input } from 'antd';
import type { Resident, VisitChannel } from '@lianxin/contracts';
import type { VisitPatch, VisitView } from './visit-types.ts';
import { useSubmit } from '../../app/use-submit.ts';
import { ChannelField, fromLocalInput, ResidentsField, TimeField, toLocalInput } from './visit-fields.tsx';
import { NOTES_MAX, VISIT_CORRECTION_HOURS, VISIT_PHOTOS_MAX } from './visit-labels.ts';
import { PhotoField } from './photo-field.tsx';
import { correctVisit, correctVisitPhotos } from './visit-queries.ts';

/**
 * 更正 a visit: its time, channel, residents, notes and photos (the constituent and whom it counts for stay). Offered while the
 * server says `editable` — the member's own within VISIT_CORRECTION_HOURS, later the branch's secretary; the server
 * checks again and keeps the before → after in the audit log.
 */
export function VisitCorrectDrawer({ visit, residents, onClose }: {
  visit: VisitView;
  residents: Pick<Resident, 'id' | 'name' | 'relation' | 'awayScope'>[];
  onClose: () => void;
}) {
  const [channel, setChannel] = useState<VisitChannel>(visit.channel);
  const [time, setTime] = useState(() => toLocalInput(new Date(visit.visitedAt)));
  const [residentIds, setResidentIds] = useState(() => visit.residents.map((r) => r.id));
  const [notes, setNotes] = useState(visit.notes);
  const [removed, setRemoved] = useState<number[]>([]);
  const [added, setAdded] = useState<File[]>([]);
  const kept = visit.photos.filter((p) => !removed.includes(p.seq));
  const { busy, error, setError, run } = useSubmit('更正失败');
  const wide = Grid.useBreakpoint().md === true;

  function save() {
    const visitedAt = fromLocalInput(time);
    if (!visitedAt) {
      setError('请填写走访时间');
      return;
    }
    // Only what changed is sent: the audit's before → after then shows the correction itself, nothing else.
    const patch: VisitPatch = {};
    if (toLocalInput(new Date(visitedAt)) !== toLocalInput(new Date(visit.visitedAt))) patch.visitedAt = visitedAt;
    if (channel !== visit.channel) patch.channel = channel;
    if ([...residentIds].sort().join() !== visit.residents.map((r) => r.id).sort().join()) patch.residentIds = residentIds;
    if (notes.trim() !== visit.notes) patch.notes = notes.trim();
    if (Object.keys(patch).length === 0 && removed.length === 0 && added.length === 0) {
      onClose();
      return;
    }
    // New photos take the numbers no photo kept holds (the server numbers 1..VISIT_PHOTOS_MAX).
    const taken = new Set(kept.map((p) => p.seq));
    const free = Array.from({ length: VISIT_PHOTOS_MAX }, (_, i) => i + 1).filter((n) => !taken.has(n));
    void run(async () => {
      if (Object.keys(patch).length > 0) await correctVisit(visit.id, patch);
      if (removed.length > 0 || added.length > 0) await correctVisitPhotos(visit.id, removed, added, free);
      onClose();
    });
  }

  return (
    <Drawer open title="更正走访记录" onClose={onClose} placement={wide ? 'right' : 'bottom'} size={wide ? 560 : '92%'} destroyOnHidden>
      <Alert type="info" showIcon style={{ marginBottom: 12 }} title={`本人可在 ${VISIT_CORRECTION_HOURS} 小时内更正，之后请支部书记更正；每次更正都有记录。`} />
      <Form layout="vertical" onFinish={save} disabled={busy}>
        <Form.Item label="走访方式"><ChannelField value={channel} onChange={setChannel} /></Form.Item>
        <Form.Item label="走访时间" htmlFor="correct-time"><TimeField id="correct-time" value={time} onChange={setTime} /></Form.Item>
        {visit.householdId && (
          <Form.Item label="参与的家庭成员"><ResidentsField residents={residents} value={residentIds} onChange={setResidentIds} /></Form.Item>
        )}
        <Form.Item label="情况记录" htmlFor="correct-notes">
          <Input.TextArea id="correct-notes" autoSize={{ minRows: 2, maxRows: 6 }} maxLength={NOTES_MAX} value={notes} onChange={(e) => setNotes(e.target.value)} />
        </Form.Item>
        <Form.Item label="照片">
          {kept.length > 0 && (
            <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginBottom: 8 }}>
              {kept.map((p) => (
                <figure key={p.seq} style={{ margin: 0 }}>
                  <img
                    src={`/api/v1/visits/${encodeURIComponent(visit.id)}/photos/${p.seq}`}
                    alt={`已存照片 ${p.seq}`}
                    style={{ width: 88, height: 88, objectFit: 'cover', borderRadius: 6, display: 'block' }}
                  />
                  <Button size="small" danger aria-label={`删除已存照片 ${p.seq}`} onClick={() => setRemoved([...removed, p.seq])} style={{ marginTop: 4, width: 88 }}>
                    删除
                  </Button>
                </figure>
              ))}
            </div>
          )}
          <PhotoField photos={added} onChange={setAdded} onProblem={(t) => setError(t)} disabled={busy} max={VISIT_PHOTOS_MAX - kept.length} />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Button type="primary" htmlType="submit" size="large" block loading={busy}>保存更正</Button>
      </Form>
    </Drawer>
  );
}
