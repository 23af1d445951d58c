import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Button, Modal, Typography } from 'antd';
import { contactGroupQuery } from './notifications-queries.ts';
import { ContactGroupEditor } from './contact-group-editor.tsx';

/**
 * A member's 一群 where their constituents' pages show them (联户党员): the group's name and its join QR, large enough
 * to scan from the screen. Nothing when none is recorded (or the group cannot be read); 修改 for the member or their
 * secretary.
 */
export function ContactGroupView({ personId, memberName }: { personId: string; memberName: string }) {
  const q = useQuery(contactGroupQuery(personId));
  const [editing, setEditing] = useState(false);
  if (!q.isSuccess) return null;
  const { data: g, canEdit } = q.data;
  if (!g && !canEdit) return null;
  return (
    <div data-testid="contact-group" style={{ marginBottom: 8 }}>
      {g ? (
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 12, alignItems: 'center' }}>
          <span style={{ fontSize: 16 }}>一群：<strong>{g.name}</strong></span>
          {g.qrUrl && <img src={g.qrUrl} alt={`${memberName}的一群入群二维码`} width={160} height={160} style={{ objectFit: 'contain', border: '1px solid #f0f0f0' }} />}
          {!g.qrUrl && <Typography.Text type="secondary">（还没有上传入群二维码）</Typography.Text>}
        </div>
      ) : (
        <Typography.Text type="secondary">一群：尚未登记</Typography.Text>
      )}
      {canEdit && <Button size="small" style={{ marginInlineStart: 8 }} onClick={() => setEditing(true)}>{g ? '修改一群' : '登记一群'}</Button>}
      {editing && (
        <Modal open title={`${memberName}的一群`} footer={null} onCancel={() => setEditing(false)} destroyOnHidden>
          <ContactGroupEditor item={q.data} onDone={() => setEditing(false)} />
        </Modal>
      )}
    </div>
  );
}
