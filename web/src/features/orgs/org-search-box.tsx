import { Input } from 'antd';

/** The search field used on the tree and search pages; searching hands the text to the caller. */
export function OrgSearchBox({ defaultValue, onSearch, autoFocus }: { defaultValue?: string; onSearch: (q: string) => void; autoFocus?: boolean }) {
  return (
    <Input.Search
      key={defaultValue}
      defaultValue={defaultValue}
      placeholder="输入名称或拼音首字母，如 kjz"
      aria-label="搜索组织"
      enterButton="搜索"
      autoFocus={autoFocus}
      maxLength={40}
      onSearch={(v) => {
        const q = v.trim();
        if (q) onSearch(q);
      }}
    />
  );
}
