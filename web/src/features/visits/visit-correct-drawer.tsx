import { useState } from 'react';
import { Alert, Button, Drawer, Form, Grid, Input } from 'antd';
import type { Resident, VisitChannel } from '@lianxin/contracts';
import type { VisitPatch, VisitView } from './visit-types.ts';
import { useSubmit } from '../../app/use-submit.ts';
import { ChannelField, fromLocalInput, ResidentsField, TimeField, toLocalInput } from './visit-fields.tsx';
import { NOTES_MAX, VISIT_CORRECTION_HOURS } from './visit-labels.ts';
import { correctVisit } from './visit-queries.ts';

/**
 * 更正 a visit: its time, channel, residents and notes (the constituent and whom it counts for stay). Offered while the
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
    if (Object.keys(patch).length === 0) {
      onClose();
      return;
    }
    void run(async () => {
      await correctVisit(visit.id, patch);
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
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Button type="primary" htmlType="submit" size="large" block loading={busy}>保存更正</Button>
      </Form>
    </Drawer>
  );
}
