import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Drawer, Form, Grid, Input, Select } from 'antd';
import type { Household } from '@lianxin/contracts';
import { fetchAllChildren } from '../orgs/org-queries.ts';
import { fieldIssues } from './api-errors.ts';
import { updateHousehold } from './household-queries.ts';
import { TagCheckboxes } from './household-tags.tsx';

interface Values {
  address: string;
  tags: string[];
  gridCode?: string | null;
}

/** 编辑住户信息: address, grid and tags. */
export function HouseholdEditDrawer({ household, open, onClose }: { household: Household; open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const wide = Grid.useBreakpoint().md === true;
  const grids = useQuery({
    queryKey: ['org-all-children', household.orgCode],
    queryFn: () => fetchAllChildren(household.orgCode),
    enabled: open,
    staleTime: 60_000,
    select: (rows) => rows.filter((r) => r.level === 'grid'),
  });

  async function onFinish(v: Values) {
    setBusy(true);
    setError(null);
    try {
      await updateHousehold(household.id, { address: v.address.trim(), tags: v.tags ?? [], ...((grids.data?.length ?? 0) > 0 ? { gridCode: v.gridCode || null } : {}) });
      onClose();
    } catch (e) {
      const issues = fieldIssues(e);
      form.setFields(issues.filter((i) => i.path.length > 0).map((i) => ({ name: i.path as never, errors: [i.message] })));
      setError(e instanceof Error ? e.message : '保存失败');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title="编辑住户信息"
      placement={wide ? 'right' : 'bottom'}
      size={wide ? 520 : '90%'}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        disabled={busy}
        initialValues={{ address: household.address, tags: household.tags, gridCode: household.gridCode ?? undefined }}
      >
        {(grids.data?.length ?? 0) > 0 && (
          <Form.Item label="网格（选填）" name="gridCode">
            <Select allowClear placeholder="请选择" options={grids.data!.map((g) => ({ value: g.code, label: g.name }))} />
          </Form.Item>
        )}
        <Form.Item label="住址" name="address" rules={[{ required: true, whitespace: true, message: '请填写住址' }, { max: 120, message: '住址最多120个字' }]}>
          <Input maxLength={120} />
        </Form.Item>
        <Form.Item label="标签（可多选）" name="tags">
          <TagCheckboxes />
        </Form.Item>
        {error && <Alert role="alert" type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <div style={{ display: 'flex', gap: 8 }}>
          <Button type="primary" htmlType="submit" loading={busy} style={{ flex: 1 }}>保存</Button>
          <Button onClick={onClose}>取消</Button>
        </div>
      </Form>
    </Drawer>
  );
}
