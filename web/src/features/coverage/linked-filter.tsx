import { Select } from 'antd';

/** The 联户情况 list filter (households, businesses): 'true' = no active primary link (未联系), 'false' = linked. */
export function LinkedFilter({ value, onChange, disabled }: {
  value: 'true' | 'false' | undefined;
  onChange: (v: 'true' | 'false' | undefined) => void;
  disabled?: boolean;
}) {
  return (
    <Select
      aria-label="按联户情况筛选"
      style={{ flex: 1, minWidth: 140 }}
      value={value ?? ''}
      disabled={disabled}
      onChange={(v: string) => onChange(v === 'true' || v === 'false' ? v : undefined)}
      options={[
        { value: '', label: '联户：不限' },
        { value: 'true', label: '未联系' },
        { value: 'false', label: '已联系' },
      ]}
    />
  );
}
