import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Checkbox, Form, Input, Modal, Select, Switch, Typography } from 'antd';
import { useNavigate, useRouteLoaderData } from 'react-router';
import type { CampaignKind, Me } from '@lianxin/contracts';
import { useSubmit } from '../../app/use-submit.ts';
import { tagsQuery } from '../households/household-queries.ts';
import { fetchAllChildren } from '../orgs/org-queries.ts';
import { campaignKindLabels, campaignKinds } from './campaign-labels.ts';
import { createCampaign } from './campaign-queries.ts';

interface Values {
  name: string;
  orgCode: string;
  kinds: CampaignKind[];
  tag: string;
  awayOnly: boolean;
  startsOn: string;
  endsOn: string;
  deadline: string;
}

const today = () => new Date().toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 10);

/**
 * 新建集中走访: name, scope (the caller's own scope or one of the orgs directly under it), which constituents, the window
 * and the deadline. Dates are native date inputs: a phone shows its own picker and nothing heavy is loaded.
 */
export function CampaignCreateModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const me = useRouteLoaderData('shell') as Me;
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const { busy, error, run } = useSubmit('创建失败');
  const tags = useQuery({ ...tagsQuery, enabled: open });
  const roots = me.scopeRoots;
  const children = useQuery({
    queryKey: ['campaign-scope-children', roots.map((r) => r.code)],
    queryFn: async () => (await Promise.all(roots.filter((r) => r.level !== 'village').map((r) => fetchAllChildren(r.code)))).flat(),
    enabled: open,
  });
  const below = (children.data ?? []).filter((c) => c.level === 'town' || c.level === 'village');
  const scopeOptions = [
    { label: '本级', options: roots.map((r) => ({ value: r.code, label: r.name })) },
    ...(below.length ? [{ label: '下级', options: below.map((c) => ({ value: c.code, label: c.name })) }] : []),
  ];
  const startsOn = Form.useWatch('startsOn', form);
  const endsOn = Form.useWatch('endsOn', form);

  const save = (v: Values) => run(async () => {
    const c = await createCampaign({
      name: v.name,
      orgCode: v.orgCode,
      filter: { kinds: v.kinds, tag: v.tag || null, awayOnly: v.awayOnly },
      startsOn: v.startsOn,
      endsOn: v.endsOn,
      ...(v.deadline ? { deadline: v.deadline } : {}),
    });
    onClose();
    navigate(`/campaigns/${c.id}`);
  });

  return (
    <Modal open={open} title="新建集中走访" onCancel={onClose} footer={null} destroyOnHidden>
      <Form<Values>
        form={form}
        layout="vertical"
        disabled={busy}
        onFinish={save}
        initialValues={{ name: '', orgCode: roots[0]?.code, kinds: [...campaignKinds], tag: '', awayOnly: false, startsOn: today(), endsOn: '', deadline: '' }}
      >
        <Typography.Paragraph type="secondary">
          创建时按范围和条件确定走访对象（住户、企业商户及其在外人员），之后新登记的不再加入。
        </Typography.Paragraph>
        <Form.Item label="活动名称" name="name" rules={[{ required: true, whitespace: true, message: '请填写活动名称' }, { max: 40, message: '名称不超过 40 个字' }]}>
          <Input placeholder="如：七一前全部走访一遍" maxLength={40} />
        </Form.Item>
        <Form.Item label="范围" name="orgCode" rules={[{ required: true, message: '请选择范围' }]}>
          <Select options={scopeOptions} loading={children.isPending} showSearch={{ optionFilterProp: 'label' }} />
        </Form.Item>
        <Form.Item label="走访对象" name="kinds" rules={[{ type: 'array', min: 1, message: '请至少选择一类' }]}>
          <Checkbox.Group className="lx-checks" options={campaignKinds.map((k) => ({ value: k, label: campaignKindLabels[k] }))} />
        </Form.Item>
        <Form.Item label="只走访带此标签的住户" name="tag" extra="选择标签后只包括带该标签的住户（企业商户没有标签）">
          <Select options={[{ value: '', label: '不限' }, ...(tags.data ?? []).map((t) => ({ value: t.code, label: t.name }))]} loading={tags.isPending} />
        </Form.Item>
        <Form.Item label="只走访有在外人员的住户" name="awayOnly" valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item label="开始日期" name="startsOn" rules={[{ required: true, message: '请选择开始日期' }]}>
          <Input type="date" />
        </Form.Item>
        <Form.Item
          label="结束日期"
          name="endsOn"
          dependencies={['startsOn']}
          rules={[
            { required: true, message: '请选择结束日期' },
            ({ getFieldValue }) => ({ validator: (_r, v: string) => (!v || v >= getFieldValue('startsOn') ? Promise.resolve() : Promise.reject(new Error('结束日期不能早于开始日期'))) }),
          ]}
        >
          <Input type="date" min={startsOn || undefined} />
        </Form.Item>
        <Form.Item
          label="截止日期（可不填，默认为结束日期）"
          name="deadline"
          dependencies={['startsOn', 'endsOn']}
          extra="截止前 3 天提醒还有对象未走访的党员"
          rules={[
            ({ getFieldValue }) => ({
              validator: (_r, v: string) => (!v || (v >= getFieldValue('startsOn') && (!getFieldValue('endsOn') || v <= getFieldValue('endsOn')))
                ? Promise.resolve() : Promise.reject(new Error('截止日期应在开始和结束日期之间'))),
            }),
          ]}
        >
          <Input type="date" min={startsOn || undefined} max={endsOn || undefined} />
        </Form.Item>
        {error && <Alert role="alert" type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        {/* A zone-wide round snapshots ~300k households and residents: tens of seconds at full scale (README). */}
        {busy && (
          <Alert
            role="status"
            type="info"
            showIcon
            title="正在确定走访对象并计入已有的走访，范围越大越久（全区约需半分钟），请稍候，不要关闭本页。"
            style={{ marginBottom: 12 }}
          />
        )}
        <div style={{ display: 'flex', gap: 8, justifyContent: 'flex-end', flexWrap: 'wrap' }}>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" htmlType="submit" loading={busy}>创建</Button>
        </div>
      </Form>
    </Modal>
  );
}
