import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Checkbox, Drawer, Form, Grid, Input, Radio, Select } from 'antd';
import type { Person, PersonCreate, PersonKind, PersonUpdate } from '@lianxin/contracts';
import { useSubmit } from '../../app/use-submit.ts';
import { fieldIssues } from '../households/api-errors.ts';
import { fetchAllChildren } from '../orgs/org-queries.ts';
import { helperKindOptions } from './people-labels.ts';
import { createPerson, updatePerson } from './people-queries.ts';

interface Values {
  name: string;
  sex: 'M' | 'F';
  birthYear?: string;
  phone?: string;
  workPhone?: string;
  memberSince?: string;
  helperKind?: string;
  flags?: ('mobile' | 'dualRegistered')[];
  gridCode?: string;
}

const empty = (s: string | undefined) => (s?.trim() ? s.trim() : null);

/**
 * 新增 / 编辑 a member or helper of a village. The phone is written, never shown in full here: editing shows the mask
 * and leaves the number unchanged unless a new one is typed.
 */
export function PersonDrawer({ open, onClose, village, kind, person }: {
  open: boolean; onClose: () => void; village: string; kind: PersonKind; person: Person | null;
}) {
  const [form] = Form.useForm<Values>();
  const { busy, error, setError, run } = useSubmit('保存失败');
  const wide = Grid.useBreakpoint().md === true;
  const isMember = (person?.kind ?? kind) === 'member';
  const grids = useQuery({
    queryKey: ['org-all-children', village],
    queryFn: () => fetchAllChildren(village),
    enabled: open,
    staleTime: 60_000,
    select: (rows) => rows.filter((r) => r.level === 'grid'),
  });
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });

  const onFinish = (v: Values) => run(async () => {
    const flags = new Set(v.flags ?? []);
    const common = {
      name: v.name.trim(), sex: v.sex, birthYear: empty(v.birthYear), workPhone: empty(v.workPhone),
      ...((grids.data?.length ?? 0) > 0 ? { gridCode: v.gridCode || null } : {}),
      ...(isMember
        ? { memberSince: empty(v.memberSince), mobile: flags.has('mobile'), dualRegistered: flags.has('dualRegistered') }
        : { helperKind: (v.helperKind ?? null) as PersonCreate['helperKind'], dualRegistered: false }),
    };
    try {
      if (person) {
        const body: PersonUpdate = { ...common, ...(v.phone?.trim() ? { phone: v.phone.trim() } : {}) };
        await updatePerson(person.id, body);
      } else {
        await createPerson({ orgCode: village, kind, ...common, phone: empty(v.phone) });
      }
      form.resetFields();
      onClose();
    } catch (e) {
      form.setFields(fieldIssues(e).filter((i) => i.path.length > 0).map((i) => ({ name: i.path as never, errors: [i.message] })));
      throw e;
    }
  });

  const title = `${person ? '编辑' : '新增'}${isMember ? '党员' : '志愿者等'}`;
  return (
    <Drawer open={open} onClose={() => { setError(null); onClose(); }} title={title} placement={wide ? 'right' : 'bottom'} size={wide ? 520 : '90%'} destroyOnHidden>
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        disabled={busy}
        initialValues={person ? {
          name: person.name, sex: person.sex, birthYear: person.birthYear ?? undefined, workPhone: person.workPhone ?? undefined,
          memberSince: person.memberSince ?? undefined, helperKind: person.helperKind ?? undefined, gridCode: person.gridCode ?? undefined,
          flags: [...(person.mobile ? ['mobile' as const] : []), ...(person.dualRegistered ? ['dualRegistered' as const] : [])],
        } : { sex: 'M', helperKind: isMember ? undefined : '志愿者' }}
      >
        <Form.Item label="姓名" name="name" rules={[{ required: true, whitespace: true, message: '请填写姓名' }, { max: 40, message: '最多40个字' }]}>
          <Input maxLength={40} autoComplete="off" />
        </Form.Item>
        <Form.Item label="性别" name="sex" rules={[{ required: true, message: '请选择性别' }]}>
          <Radio.Group className="lx-radios" options={[{ value: 'M', label: '男' }, { value: 'F', label: '女' }]} />
        </Form.Item>
        <Form.Item label="出生年份（选填）" name="birthYear" rules={[{ pattern: /^(19|20)\d{2}$/, message: '请填写 4 位年份，如 1975' }]}>
          <Input inputMode="numeric" maxLength={4} placeholder="如 1975" />
        </Form.Item>
        {isMember ? (
          <Form.Item label="入党日期" name="memberSince" rules={[{ required: true, message: '请填写入党日期' }]}>
            <Input type="date" max={today} />
          </Form.Item>
        ) : (
          <Form.Item label="类别" name="helperKind" rules={[{ required: true, message: '请选择类别' }]}>
            <Radio.Group className="lx-radios" options={helperKindOptions} />
          </Form.Item>
        )}
        <Form.Item
          label={person ? `手机号码（现为 ${person.phoneMasked ?? '未登记'}；不改请留空）` : '手机号码（选填）'}
          name="phone"
          rules={[{ pattern: /^1[3-9]\d{9}$/, message: '请填写 11 位手机号码' }]}
        >
          <Input inputMode="tel" maxLength={11} autoComplete="off" />
        </Form.Item>
        <Form.Item label="工作电话（选填，印在联系卡上）" name="workPhone" rules={[{ pattern: /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/, message: '电话号码格式不正确' }]}>
          <Input inputMode="tel" maxLength={20} />
        </Form.Item>
        {isMember && (
          <Form.Item label="标记" name="flags">
            <Checkbox.Group options={[{ value: 'mobile', label: '流动党员' }, { value: 'dualRegistered', label: '双报到' }]} />
          </Form.Item>
        )}
        {(grids.data?.length ?? 0) > 0 && (
          <Form.Item label="网格（选填）" name="gridCode">
            <Select allowClear placeholder="请选择" options={grids.data!.map((g) => ({ value: g.code, label: g.name }))} />
          </Form.Item>
        )}
        {error && <Alert role="alert" type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <div style={{ display: 'flex', gap: 8 }}>
          <Button type="primary" htmlType="submit" loading={busy} style={{ flex: 1 }}>保存</Button>
          <Button onClick={onClose}>取消</Button>
        </div>
      </Form>
    </Drawer>
  );
}
