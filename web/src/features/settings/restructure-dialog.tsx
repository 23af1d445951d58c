import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Form, Input, Modal, Radio, Select } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { Org, RestructureBody, RestructurePreview } from '@lianxin/contracts';
import { useSubmit } from '../../app/use-submit.ts';
import { fetchAllChildren } from '../orgs/org-queries.ts';
import { restructure } from './settings-queries.ts';

type Kind = RestructureBody['kind'];
interface Values { kind: Kind; name?: string; shortName?: string; parentCode?: string; intoCode?: string }

const ZONE = '419001000000';

function bodyOf(v: Values): RestructureBody {
  if (v.kind === 'rename') return { kind: 'rename', name: v.name!.trim(), shortName: v.shortName!.trim() };
  if (v.kind === 'move') return { kind: 'move', parentCode: v.parentCode! };
  return { kind: 'merge', intoCode: v.intoCode! };
}

/**
 * 组织调整 (office): rename a town or village, move a village under another town, or merge it into another village
 * of its town. The server's preview says what will change (for a merge: what moves to the survivor) before 确认.
 */
export function RestructureDialog({ org, open, onClose }: { org: Org; open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form) ?? 'rename';
  const [preview, setPreview] = useState<RestructurePreview | null>(null);
  const { busy, error, setError, run } = useSubmit('操作失败');
  const navigate = useNavigate();
  const isVillage = org.level === 'village';
  const towns = useQuery({ queryKey: ['org-children-all', ZONE], queryFn: () => fetchAllChildren(ZONE), enabled: open && isVillage && kind === 'move' });
  const siblings = useQuery({ queryKey: ['org-children-all', org.parentCode], queryFn: () => fetchAllChildren(org.parentCode!), enabled: open && isVillage && kind === 'merge' && !!org.parentCode });

  const onPreview = (v: Values) => run(async () => setPreview(await restructure(org.code, 'preview', bodyOf(v))));
  const onApply = () => run(async () => {
    const v = form.getFieldsValue(true) as Values;
    const done = await restructure(org.code, 'apply', bodyOf(v));
    onClose();
    if (done.kind === 'merge') navigate(`/orgs/${encodeURIComponent(done.after.code)}`);
  });
  const reset = () => { setPreview(null); setError(null); };

  return (
    <Modal open={open} title={`调整组织：${org.shortName || org.name}`} onCancel={onClose} footer={null} destroyOnHidden>
      <Form<Values> form={form} layout="vertical" disabled={busy || preview !== null} onFinish={onPreview} onValuesChange={reset}
        initialValues={{ kind: 'rename', name: org.name, shortName: org.shortName }}>
        <Form.Item label="调整方式" name="kind">
          <Radio.Group className="lx-radios" options={[
            { value: 'rename', label: '改名' },
            ...(isVillage ? [{ value: 'move', label: '划归其他镇（街道）' }, { value: 'merge', label: '并入本镇其他村（社区）' }] : []),
          ]} />
        </Form.Item>
        {kind === 'rename' && (
          <>
            <Form.Item label="全称" name="name" rules={[{ required: true, whitespace: true, message: '请填写全称' }, { max: 60, message: '最多60个字' }]}>
              <Input maxLength={60} />
            </Form.Item>
            <Form.Item label="简称" name="shortName" rules={[{ required: true, whitespace: true, message: '请填写简称' }, { max: 30, message: '最多30个字' }]}>
              <Input maxLength={30} />
            </Form.Item>
          </>
        )}
        {kind === 'move' && (
          <Form.Item label="新的上级镇（街道）" name="parentCode" rules={[{ required: true, message: '请选择镇（街道）' }]}>
            <Select showSearch optionFilterProp="label" loading={towns.isPending}
              options={(towns.data ?? []).filter((t) => t.level === 'town' && t.code !== org.parentCode).map((t) => ({ value: t.code, label: t.shortName || t.name }))} />
          </Form.Item>
        )}
        {kind === 'merge' && (
          <Form.Item label="并入的村（社区）（保留的一方）" name="intoCode" rules={[{ required: true, message: '请选择村（社区）' }]}>
            <Select showSearch optionFilterProp="label" loading={siblings.isPending}
              options={(siblings.data ?? []).filter((s) => s.level === 'village' && s.code !== org.code).map((s) => ({ value: s.code, label: s.shortName || s.name }))} />
          </Form.Item>
        )}
        {!preview && (
          <div style={{ display: 'flex', gap: 8, justifyContent: 'flex-end' }}>
            <Button onClick={onClose}>取消</Button>
            <Button type="primary" htmlType="submit" loading={busy}>预览</Button>
          </div>
        )}
      </Form>
      {preview && (
        <section aria-label="调整预览">
          <Descriptions size="small" column={1} bordered style={{ marginBottom: 12 }} items={[
            { key: 'before', label: '调整前', children: preview.before.name },
            { key: 'after', label: preview.kind === 'merge' ? '并入' : '调整后', children: preview.after.name },
            ...(preview.kind === 'move' ? [{ key: 'parent', label: '新的上级', children: towns.data?.find((t) => t.code === preview.after.path.split('/').at(-2))?.name ?? '' }] : []),
            ...(preview.moves ? [
              { key: 'people', label: '转入的党员和人员', children: `${preview.moves.people} 人` },
              { key: 'households', label: '转入的住户', children: `${preview.moves.households} 户` },
              { key: 'businesses', label: '转入的企业商户', children: `${preview.moves.businesses} 家` },
              { key: 'links', label: '转入的联户关系', children: `${preview.moves.activeLinks} 条` },
              { key: 'grids', label: '转入的网格', children: `${preview.moves.grids} 个` },
            ] : []),
            { key: 'on', label: '生效日期', children: preview.on },
          ]} />
          {preview.kind === 'merge' && (
            <Alert type="warning" showIcon title={`确认后，${preview.before.name}将不再单独存在，以上内容全部转入${preview.after.name}；历史记录保留。`} style={{ marginBottom: 12 }} />
          )}
          {error && <Alert role="alert" type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
          <div style={{ display: 'flex', gap: 8, justifyContent: 'flex-end' }}>
            <Button onClick={reset} disabled={busy}>返回修改</Button>
            <Button type="primary" danger={preview.kind === 'merge'} onClick={onApply} loading={busy}>确认调整</Button>
          </div>
        </section>
      )}
      {!preview && error && <Alert role="alert" type="error" showIcon title={error} style={{ marginTop: 12 }} />}
    </Modal>
  );
}
