import { useQuery } from '@tanstack/react-query';
import { Select, Tag } from 'antd';
import { membersQuery } from './coverage-queries.ts';
import { loadStatusColors, loadStatusLabels } from './coverage-labels.ts';

/** A member of `org` with their load (联户数) and a colour when over the target. */
export function MemberPicker({
  org,
  value,
  onChange,
  label,
  exclude,
  style,
  onClear,
  placeholder = '选择党员',
}: {
  org: string;
  value: string | undefined;
  onChange: (id: string) => void;
  label: string;
  exclude?: string;
  style?: React.CSSProperties;
  /** Given: the choice can be cleared (a list filter), and this is called when it is. */
  onClear?: () => void;
  placeholder?: string;
}) {
  const members = useQuery(membersQuery(org));
  const options = (members.data ?? [])
    .filter((m) => m.id !== exclude)
    .map((m) => ({
      value: m.id,
      title: m.name,
      label: (
        <span style={{ display: 'inline-flex', alignItems: 'center', gap: 6 }}>
          <span>{m.name}</span>
          <Tag color={loadStatusColors[m.loadStatus]} style={{ fontSize: 14, marginInlineEnd: 0 }} title={loadStatusLabels[m.loadStatus]}>
            联{m.load}户{m.loadStatus === 'over' ? ' 超' : ''}
          </Tag>
        </span>
      ),
    }));
  return (
    <Select
      aria-label={label}
      placeholder={placeholder}
      loading={members.isPending}
      value={value}
      allowClear={onClear !== undefined}
      onChange={(v: string | undefined) => (v === undefined ? onClear?.() : onChange(v))}
      options={options}
      notFoundContent={members.isError ? '加载失败' : '没有党员'}
      style={{ minWidth: 0, ...style }}
    />
  );
}
