import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Checkbox, Form, Input, Modal, Radio, Select, Typography } from 'antd';
import type { RuleKind, RulePeriod, VisitChannel, VisitRule } from '@lianxin/contracts';
import { useSubmit } from '../../app/use-submit.ts';
import { tagsQuery } from '../households/household-queries.ts';
import { toNumber } from '../settings/number-field.ts';
import { ANY_VULNERABLE_TAG, channelLabels, channels, ruleKindLabels, ruleKinds, rulePeriodLabels } from './rule-labels.ts';
import { putVisitRule } from './rule-queries.ts';

interface Values {
  kind: RuleKind;
  tag: string;
  period: RulePeriod;
  minVisits: number;
  limited: boolean;
  channels: VisitChannel[];
}

/** What the modal edits: an existing rule (its kind and tag fixed) or a new one for the org ('new'). */
export type RuleEditing = { org: { code: string; name: string }; rule: VisitRule | null };

/**
 * 设置走访规则 for one org: an existing (kind, tag) — saving creates or replaces the org's own row, so an inherited rule
 * becomes 本级设置 — or a new one for a tag (households only: a tag's rule beats the untagged one).
 */
export function RuleModal({ editing, onClose }: { editing: RuleEditing | null; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const { busy, error, run } = useSubmit('保存失败');
  const tags = useQuery(tagsQuery);
  const kind = Form.useWatch('kind', form);
  const limited = Form.useWatch('limited', form);
  const rule = editing?.rule ?? null;
  const save = (v: Values) => run(async () => {
    // Editing, the kind and tag are the rule's own (no fields for them: the form then has no values for them).
    const kind = rule?.kind ?? v.kind;
    await putVisitRule({
      org: editing!.org.code,
      kind,
      tag: rule ? rule.tag : kind === 'household' ? v.tag : '',
      period: v.period,
      minVisits: v.minVisits,
      channels: v.limited ? v.channels : null,
    });
    onClose();
  });
  const tagOptions = [
    { value: '', label: '全部住户' },
    { value: ANY_VULNERABLE_TAG, label: '困难群体（任一困难标签）' },
    ...(tags.data ?? []).map((t) => ({ value: t.code, label: t.name })),
  ];
  const title = !editing ? '' : rule ? `修改走访规则：${ruleKindLabels[rule.kind]} · ${rule.tagName}` : '新增走访规则';
  return (
    <Modal open={editing !== null} title={title} onCancel={onClose} footer={null} destroyOnHidden>
      {editing && (
        <Form<Values>
          form={form}
          layout="vertical"
          disabled={busy}
          onFinish={save}
          initialValues={{
            kind: rule?.kind ?? 'household',
            tag: rule?.tag ?? ANY_VULNERABLE_TAG,
            period: rule?.period ?? 'month',
            minVisits: rule?.minVisits ?? 1,
            limited: rule ? rule.channels !== null : false,
            channels: rule?.channels ?? ['phone', 'wechat', 'video'],
          }}
        >
          <Typography.Paragraph type="secondary">
            保存后作为{editing.org.name}的本级规则，下级组织没有单独设置时沿用。完成情况按实际走访记录自动计算。
          </Typography.Paragraph>
          {!rule && (
            <>
              <Form.Item label="走访对象" name="kind">
                <Select options={ruleKinds.map((k) => ({ value: k, label: ruleKindLabels[k] }))} />
              </Form.Item>
              {kind === 'household' && (
                <Form.Item label="适用的住户" name="tag" extra="按标签设置的规则优先于“全部住户”的规则">
                  <Select options={tagOptions} loading={tags.isPending} showSearch={{ optionFilterProp: 'label' }} />
                </Form.Item>
              )}
            </>
          )}
          <Form.Item label="周期" name="period">
            <Radio.Group className="lx-radios" options={(['week', 'month'] as const).map((p) => ({ value: p, label: rulePeriodLabels[p] }))} />
          </Form.Item>
          <Form.Item label="至少走访（次）" name="minVisits" normalize={toNumber} rules={[{ required: true, message: '请填写次数' }, { type: 'number', min: 0, max: 31, message: '次数为 0–31' }]} extra="填 0 表示不要求走访">
            <Input type="number" inputMode="numeric" min={0} max={31} step={1} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item label="哪些走访方式算数" name="limited">
            <Radio.Group className="lx-radios" options={[{ value: false, label: '任何方式均可' }, { value: true, label: '仅限所选方式' }]} />
          </Form.Item>
          {limited && (
            <Form.Item label="认可的走访方式" name="channels" rules={[{ type: 'array', min: 1, message: '请至少选择一种方式' }]}>
              <Checkbox.Group className="lx-checks" options={channels.map((c) => ({ value: c, label: channelLabels[c] }))} />
            </Form.Item>
          )}
          {error && <Alert role="alert" type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
          <div style={{ display: 'flex', gap: 8, justifyContent: 'flex-end', flexWrap: 'wrap' }}>
            <Button onClick={onClose}>取消</Button>
            <Button type="primary" htmlType="submit" loading={busy}>保存</Button>
          </div>
        </Form>
      )}
    </Modal>
  );
}
