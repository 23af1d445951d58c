import { useState, type ReactNode } from 'react';
import { Button, Checkbox, Space, Typography } from 'antd';
import { AssignGridButton, type AssignKind } from './assign-grid-button.tsx';

/** Row selection for a list page (households, businesses): off until 选择 is pressed, so reading the list stays one tap a row. */
export function useListSelection() {
  const [selecting, setSelecting] = useState(false);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  return {
    selecting,
    selected,
    start: () => setSelecting(true),
    stop: () => { setSelecting(false); setSelected(new Set()); },
    clear: () => setSelected(new Set()),
    toggle: (id: string, on: boolean) => setSelected((s) => { const n = new Set(s); if (on) n.add(id); else n.delete(id); return n; }),
    setAll: (ids: string[]) => setSelected(new Set(ids)),
  };
}
export type ListSelection = ReturnType<typeof useListSelection>;

const unit: Record<AssignKind, string> = { households: '户', businesses: '家', people: '名' };

/** 选择 / the bar shown while selecting: how many, select all shown, 划入网格, done. */
export function SelectionBar({ selection, villageCode, kind, shownIds }: {
  selection: ListSelection;
  villageCode: string;
  kind: AssignKind;
  shownIds: string[];
}) {
  if (!selection.selecting) return <Button onClick={selection.start}>选择</Button>;
  const all = shownIds.length > 0 && shownIds.every((id) => selection.selected.has(id));
  return (
    <div role="group" aria-label="批量操作" style={{ padding: '8px 12px', background: '#e6f4ff', borderRadius: 8 }}>
      <Space wrap>
      <Typography.Text>已选 {selection.selected.size} {unit[kind]}</Typography.Text>
      <Button size="small" onClick={() => (all ? selection.clear() : selection.setAll(shownIds))}>{all ? '全不选' : '全选已显示'}</Button>
      <AssignGridButton villageCode={villageCode} kind={kind} selected={[...selection.selected]} onDone={selection.clear} />
        <Button size="small" onClick={selection.stop}>完成</Button>
      </Space>
    </div>
  );
}

/** A list row with its checkbox while selecting; just the row otherwise. */
export function SelectableRow({ selection, id, label, children }: { selection: ListSelection; id: string; label: string; children: ReactNode }) {
  if (!selection.selecting) return <>{children}</>;
  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: 10, width: '100%' }}>
      <Checkbox
        aria-label={`选择 ${label}`}
        checked={selection.selected.has(id)}
        onChange={(e) => selection.toggle(id, e.target.checked)}
        style={{ padding: 8 }}
      />
      <div style={{ flex: 1, minWidth: 0 }}>{children}</div>
    </div>
  );
}
