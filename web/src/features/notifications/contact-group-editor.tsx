import { useState } from 'react';
import type { ContactGroupItem } from '@lianxin/contracts';
import { Alert, Button, Flex, Input, Popconfirm, Typography } from 'antd';
import { useSubmit } from '../../app/use-submit.ts';
import { deleteContactGroup, saveContactGroupName, uploadContactGroupQr } from './notifications-queries.ts';

const MAX_BYTES = 5 * 1024 * 1024;

/**
 * 一群 form: the group's name (saved first), then its join QR image (a screenshot of 群二维码 from WeChat, or a photo).
 * The server re-encodes the image and trims its border; the page shows what was stored.
 */
export function ContactGroupEditor({ item, onDone }: { item: ContactGroupItem; onDone?: () => void }) {
  const [name, setName] = useState(item.data?.name ?? '');
  const submit = useSubmit('保存失败，请稍后再试');
  const g = item.data;

  const save = () => submit.run(async () => {
    await saveContactGroupName(item.personId, name.trim());
    if (!g?.qrUrl) return; // A new group goes on to its QR image; a rename is done.
    onDone?.();
  });
  const upload = (file: File | undefined) => submit.run(async () => {
    if (!file) return;
    if (file.size > MAX_BYTES) throw new Error('图片太大（不超过 5 MB），请截图后再上传');
    await uploadContactGroupQr(item.personId, file);
    onDone?.();
  });
  const remove = () => submit.run(async () => {
    await deleteContactGroup(item.personId);
    setName('');
    onDone?.();
  });

  return (
    <Flex vertical gap={12} role="group" aria-label="一群">
      <label style={{ display: 'flex', flexDirection: 'column', gap: 4, fontSize: 16 }}>
        <span>微信群名称</span>
        <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={40} placeholder="例如：东街联户一群" size="large" />
      </label>
      <Button type="primary" size="large" onClick={() => void save()} loading={submit.busy} disabled={!name.trim() || name.trim() === g?.name}>
        保存群名称
      </Button>
      {g && (
        <label style={{ display: 'flex', flexDirection: 'column', gap: 4, fontSize: 16 }}>
          <span>{g.qrUrl ? '更换入群二维码' : '上传入群二维码'}</span>
          <Typography.Text type="secondary" style={{ fontSize: 14 }}>在微信群里点右上角“…” → 群二维码，截图后在这里选择。</Typography.Text>
          <input
            type="file"
            accept="image/*"
            aria-label="入群二维码图片"
            disabled={submit.busy}
            onChange={(e) => { void upload(e.target.files?.[0]); e.target.value = ''; }}
            style={{ fontSize: 16, minHeight: 44 }}
          />
        </label>
      )}
      {submit.error && <Alert role="alert" type="error" showIcon title={submit.error} />}
      {g && (
        <Popconfirm title="删除一群？" description="住户页面和联系卡上将不再显示这个群。" okText="删除" cancelText="取消" onConfirm={() => void remove()}>
          <Button disabled={submit.busy}>删除一群</Button>
        </Popconfirm>
      )}
    </Flex>
  );
}
