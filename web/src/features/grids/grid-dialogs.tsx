import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Form, Input, Modal, Select, Typography } from 'antd';
import type { Grid } from '@lianxin/contracts';
import { useSubmit } from '../../app/use-submit.ts';
import {
  countsText, createGrid, gridCandidatesQuery, mergeGrid, refreshAfterGridChange, renameGrid, retireGrid, setGridLeader,
} from './grid-queries.ts';

/** Which dialog of the grids page is open, and on which grid. */
export type GridDialog =
  | { kind: 'create' }
  | { kind: 'rename'; grid: Grid }
  | { kind: 'leader'; grid: Grid }
  | { kind: 'merge'; grid: Grid }
  | { kind: 'retire'; grid: Grid };

const NONE = '';
const isEmpty = (g: Grid) => g.counts.households + g.counts.businesses + g.counts.people === 0;

/**
 * The grids page's dialogs. Merge and retire say what will move before the secretary confirms; a grid is never
 * deleted (it ends today and stays in the history).
 */
export function GridDialogs({ village, grids, dialog, onClose, onDone }: {
  village: string;
  grids: Grid[];
  dialog: GridDialog | null;
  onClose: () => void;
  /** After a success, with a sentence for the page's status line. */
  onDone: (text: string) => void;
}) {
  const qc = useQueryClient();
  const submit = useSubmit('操作失败');
  const [name, setName] = useState('');
  const [choice, setChoice] = useState<string | undefined>();
  const [lastDialog, setLastDialog] = useState<GridDialog | null>(null);
  const candidates = useQuery({ ...gridCandidatesQuery(village), enabled: dialog?.kind === 'leader' });

  // Each time a dialog opens, its fields start from the grid it is about (state reset during render, not in an effect).
  if (dialog !== lastDialog) {
    setLastDialog(dialog);
    setName(dialog?.kind === 'rename' ? dialog.grid.name : '');
    setChoice(dialog?.kind === 'leader' ? (dialog.grid.leader?.id ?? NONE) : undefined);
    submit.setError(null);
  }
  if (!dialog) return null;

  const others = 'grid' in dialog ? grids.filter((g) => g.code !== dialog.grid.code) : grids;
  async function act(action: () => Promise<string>) {
    await submit.run(async () => {
      const text = await action();
      await refreshAfterGridChange(qc, village);
      onDone(text);
    });
  }
  const needName = () => {
    const n = name.trim();
    if (!n) throw new Error('请填写网格名称');
    return n;
  };
  const needChoice = () => {
    if (choice === undefined) throw new Error('请先选择');
    return choice;
  };

  let title = '';
  let okText = '确定';
  let body: React.ReactNode = null;
  let onOk: () => Promise<void> = async () => {};
  switch (dialog.kind) {
    case 'create':
    case 'rename': {
      title = dialog.kind === 'create' ? '新建网格' : `网格改名：${dialog.grid.name}`;
      okText = dialog.kind === 'create' ? '新建' : '改名';
      body = (
        <Form.Item label="网格名称" required extra="如：东片、第一网格。同一村（社区）内不能重名。">
          <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={20} aria-label="网格名称" />
        </Form.Item>
      );
      onOk = () => act(async () => {
        const n = needName();
        if (dialog.kind === 'create') return `已新建网格「${(await createGrid(village, n)).name}」`;
        await renameGrid(dialog.grid.code, n);
        return `「${dialog.grid.name}」已改名为「${n}」，原名称保留在历史中`;
      });
      break;
    }
    case 'leader':
      title = `设置网格长：${dialog.grid.name}`;
      body = (
        <Form.Item label="网格长" extra="从本村（社区）党组织的在册党员中选择。">
          <Select
            aria-label="网格长"
            showSearch={{ optionFilterProp: 'label' }}
            loading={candidates.isPending}
            value={choice}
            onChange={(v: string) => setChoice(v)}
            options={[{ value: NONE, label: '不设网格长' }, ...(candidates.data ?? []).map((c) => ({ value: c.id, label: c.name }))]}
            notFoundContent={candidates.isError ? '加载失败' : '没有党员'}
          />
        </Form.Item>
      );
      onOk = () => act(async () => {
        const v = needChoice();
        const g = await setGridLeader(dialog.grid.code, v === NONE ? null : v);
        return g.leader ? `「${g.name}」的网格长为 ${g.leader.name}` : `已清除「${g.name}」的网格长`;
      });
      break;
    case 'merge':
      title = `合并网格：${dialog.grid.name}`;
      okText = '确认合并';
      body = (
        <>
          <Form.Item label="并入" required>
            <Select aria-label="并入哪个网格" placeholder="选择要并入的网格" value={choice} onChange={(v: string) => setChoice(v)}
              options={others.map((g) => ({ value: g.code, label: g.name }))} notFoundContent="没有其他网格" />
          </Form.Item>
          <Alert
            type="info"
            showIcon
            title={`将移入${choice ? `「${others.find((g) => g.code === choice)?.name}」` : '所选网格'}：${countsText(dialog.grid.counts)}`}
            description={`「${dialog.grid.name}」今天起撤销，不删除：它的名称和原有记录保留在历史中。${dialog.grid.leader ? `网格长 ${dialog.grid.leader.name} 的任期结束。` : ''}`}
          />
        </>
      );
      onOk = () => act(async () => {
        const into = needChoice();
        const moved = await mergeGrid(dialog.grid.code, into);
        return `「${dialog.grid.name}」已并入「${others.find((g) => g.code === into)?.name ?? into}」，移入${countsText(moved)}`;
      });
      break;
    case 'retire': {
      const empty = isEmpty(dialog.grid);
      title = `撤销网格：${dialog.grid.name}`;
      okText = '确认撤销';
      body = (
        <>
          {empty ? (
            <Typography.Paragraph>该网格没有住户、企业商户和人员，撤销后不再出现在网格选择中，历史记录保留。</Typography.Paragraph>
          ) : (
            <>
              <Typography.Paragraph>该网格现有{countsText(dialog.grid.counts)}，撤销前须选择移到哪里：</Typography.Paragraph>
              <Form.Item label="移到" required>
                <Select aria-label="移到哪个网格" placeholder="选择网格" value={choice} onChange={(v: string) => setChoice(v)}
                  options={[...others.map((g) => ({ value: g.code, label: g.name })), { value: NONE, label: '不划入网格' }]} />
              </Form.Item>
            </>
          )}
        </>
      );
      onOk = () => act(async () => {
        const moveTo = empty ? undefined : needChoice();
        const moved = await retireGrid(dialog.grid.code, moveTo === undefined ? undefined : moveTo === NONE ? null : moveTo);
        return `已撤销「${dialog.grid.name}」${empty ? '' : `，移出${countsText(moved)}`}`;
      });
      break;
    }
  }

  return (
    <Modal open title={title} okText={okText} cancelText="取消" onOk={() => void onOk()} onCancel={onClose} confirmLoading={submit.busy} destroyOnHidden>
      <Form layout="vertical" component="div">{body}</Form>
      {submit.error && <Alert type="error" showIcon title={submit.error} style={{ marginTop: 8 }} />}
    </Modal>
  );
}
