import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Modal, Select } from 'antd';
import type { Person } from '@lianxin/contracts';
import { useSubmit } from '../../app/use-submit.ts';
import { MemberPicker } from '../coverage/member-picker.tsx';
import { fetchAllChildren } from '../orgs/org-queries.ts';
import { transferPerson } from './people-queries.ts';

interface Values { town?: string; orgCode: string; on: string }

const childrenOf = (code: string, level: 'town' | 'village') => ({
  queryKey: ['org-all-children', code],
  queryFn: () => fetchAllChildren(code),
  staleTime: 60_000,
  select: (rows: Awaited<ReturnType<typeof fetchAllChildren>>) => rows.filter((r) => r.level === level),
});

/**
 * 转出到其他支部 inside the caller's scope (a town's villages; for the zone, a town first). The person's links go to the
 * member picked from the old branch, or end; the grid is cleared.
 */
export function PersonTransferModal({ person, root, onClose }: { person: Person | null; root: { code: string; level: string }; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const { busy, error, setError, run } = useSubmit('转出失败');
  const [linksTo, setLinksTo] = useState<string | undefined>(undefined);
  const [town, setTown] = useState<string | undefined>(root.level === 'town' ? root.code : undefined);
  const towns = useQuery({ ...childrenOf(root.code, 'town'), enabled: person !== null && root.level === 'zone' });
  const villages = useQuery({ ...childrenOf(town ?? '', 'village'), enabled: person !== null && !!town });
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });

  const close = () => { setError(null); setLinksTo(undefined); onClose(); };
  const onFinish = (v: Values) => run(async () => {
    if (!person) return;
    await transferPerson(person.id, { orgCode: v.orgCode, on: v.on, ...(linksTo ? { linksTo } : {}) });
    close();
  });

  return (
    <Modal open={person !== null} title={person ? `${person.name} 转出到其他支部` : ''} onCancel={close} footer={null} destroyOnHidden>
      {person && (
        <Form<Values> form={form} layout="vertical" onFinish={onFinish} disabled={busy} initialValues={{ on: today }}>
          {root.level === 'zone' && (
            <Form.Item label="转入镇（街道）" name="town" rules={[{ required: true, message: '请选择镇（街道）' }]}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                loading={towns.isPending}
                options={(towns.data ?? []).map((t) => ({ value: t.code, label: t.name }))}
                onChange={(v: string) => { setTown(v); form.setFieldsValue({ orgCode: undefined }); }}
              />
            </Form.Item>
          )}
          <Form.Item label="转入支部（村、社区）" name="orgCode" rules={[{ required: true, message: '请选择转入的支部' }]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              disabled={!town}
              loading={villages.isFetching}
              options={(villages.data ?? []).filter((o) => o.code !== person.orgCode).map((o) => ({ value: o.code, label: o.name }))}
            />
          </Form.Item>
          <Form.Item label={`联户关系交给（${person.orgName}的党员；不选则结束）`}>
            <MemberPicker org={person.orgCode} exclude={person.id} label="接替联户的党员" value={linksTo} onChange={setLinksTo} onClear={() => setLinksTo(undefined)} placeholder="不选则联户关系结束" />
          </Form.Item>
          <Form.Item label="转出日期" name="on" rules={[{ required: true, message: '请填写日期' }]}>
            <Input type="date" max={today} />
          </Form.Item>
          <Alert type="info" showIcon title={`此人现联系 ${person.load} 户；转出后网格清空，登录账号随本人转到新支部。`} style={{ marginBottom: 12 }} />
          {error && <Alert role="alert" type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
          <div style={{ display: 'flex', gap: 8, justifyContent: 'flex-end' }}>
            <Button onClick={close}>取消</Button>
            <Button type="primary" htmlType="submit" loading={busy}>确认转出</Button>
          </div>
        </Form>
      )}
    </Modal>
  );
}
