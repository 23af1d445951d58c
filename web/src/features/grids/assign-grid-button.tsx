import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Modal, Select, Typography } from 'antd';
import { useSubmit } from '../../app/use-submit.ts';
import { assignGrid, countsText, gridsQuery, refreshAfterGridChange } from './grid-queries.ts';

export type AssignKind = 'households' | 'businesses' | 'people';
const unit: Record<AssignKind, string> = { households: '户', businesses: '家', people: '名' };
/** The picker's value for 不划入网格 (a Select option needs a value; the API takes null). */
const NONE = '';

/**
 * 划入网格: moves the selected households, businesses or people of one village into a grid of that village (or out of
 * every grid). All or nothing on the server; `onDone` runs after a success (the caller clears its selection).
 */
export function AssignGridButton({ villageCode, kind, selected, onDone }: {
  villageCode: string;
  kind: AssignKind;
  selected: string[];
  onDone: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [target, setTarget] = useState<string | undefined>();
  const grids = useQuery({ ...gridsQuery(villageCode), enabled: open });
  const submit = useSubmit('划入网格失败');
  const qc = useQueryClient();
  const [done, setDone] = useState<string | null>(null);

  function close() {
    setOpen(false);
    setTarget(undefined);
    submit.setError(null);
  }
  async function confirm() {
    if (target === undefined) return submit.setError('请选择网格');
    await submit.run(async () => {
      const moved = await assignGrid({ villageCode, gridCode: target === NONE ? null : target, households: [], businesses: [], people: [], [kind]: selected });
      await refreshAfterGridChange(qc, villageCode);
      const name = target === NONE ? '不划入网格' : `划入「${grids.data?.data.find((g) => g.code === target)?.name ?? target}」`;
      setDone(`已${name}：${countsText(moved)}`);
      close();
      onDone();
    });
  }

  return (
    <>
      <Button type="primary" disabled={selected.length === 0} onClick={() => { setDone(null); setOpen(true); }}>
        划入网格{selected.length > 0 ? `（${selected.length} ${unit[kind]}）` : ''}
      </Button>
      {done && <Typography.Text role="status">{done}</Typography.Text>}
      <Modal
        open={open}
        title="划入网格"
        okText="确定划入"
        cancelText="取消"
        onOk={confirm}
        onCancel={close}
        confirmLoading={submit.busy}
        destroyOnHidden
      >
        <p>已选 {selected.length} {unit[kind]}，划入：</p>
        <Form layout="vertical" onFinish={confirm}>
          <Form.Item label="网格" required>
            <Select
              aria-label="网格"
              placeholder="请选择网格"
              loading={grids.isPending}
              value={target}
              onChange={(v: string) => setTarget(v)}
              options={[
                ...(grids.data?.data ?? []).map((g) => ({ value: g.code, label: g.name })),
                { value: NONE, label: '不划入网格' },
              ]}
              notFoundContent={grids.isError ? '加载失败' : '本村还没有网格'}
            />
          </Form.Item>
        </Form>
        {grids.isError && <Alert type="error" showIcon title="网格加载失败" description={grids.error.message} />}
        {submit.error && <Alert type="error" showIcon title={submit.error} />}
      </Modal>
    </>
  );
}
