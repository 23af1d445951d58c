import { Input } from 'antd';
import type { CSSProperties } from 'react';
import { useNavigate } from 'react-router';

/**
 * The one way into the search: the header, the search page and the org tree each show this box, and searching opens
 * /search?q= with the trimmed text (an empty one does nothing). Each place names it for what it offers.
 */
export function SearchBox({ label, placeholder, defaultValue, autoFocus, enterButton, style }: {
  label: string; placeholder: string; defaultValue?: string; autoFocus?: boolean; enterButton?: boolean; style?: CSSProperties;
}) {
  const navigate = useNavigate();
  return (
    <Input.Search
      key={defaultValue}
      defaultValue={defaultValue}
      placeholder={placeholder}
      aria-label={label}
      enterButton={enterButton ? '搜索' : undefined}
      autoFocus={autoFocus}
      maxLength={40}
      style={style}
      onSearch={(v) => {
        const q = v.trim();
        if (q) navigate(`/search?q=${encodeURIComponent(q)}`);
      }}
    />
  );
}
