import { useQuery } from '@tanstack/react-query';
import { Checkbox, Tag } from 'antd';
import { tagColor } from './household-labels.ts';
import { tagsQuery } from './household-queries.ts';

/** A household's tags as coloured labels; vulnerable groups in orange/red so they catch the eye. */
export function HouseholdTags({ tags }: { tags: string[] }) {
  const dict = useQuery(tagsQuery);
  if (tags.length === 0) return null;
  const byCode = new Map((dict.data ?? []).map((t) => [t.code, t]));
  return (
    <span style={{ display: 'inline-flex', flexWrap: 'wrap', gap: 4 }}>
      {tags.map((code) => {
        const t = byCode.get(code);
        return (
          <Tag key={code} color={tagColor(code, t?.vulnerable ?? true)} style={{ fontSize: 14, lineHeight: '22px', marginInlineEnd: 0 }}>
            {t?.name ?? code}
          </Tag>
        );
      })}
    </span>
  );
}

/** Tick boxes for the tag dictionary (a Form.Item child: value/onChange come from the form). */
export function TagCheckboxes({ value, onChange, id }: { value?: string[]; onChange?: (v: string[]) => void; id?: string }) {
  const dict = useQuery(tagsQuery);
  return (
    <div id={id}>
    <Checkbox.Group
      className="lx-checks"
      value={value}
      onChange={(v) => onChange?.(v as string[])}
      options={(dict.data ?? []).map((t) => ({ value: t.code, label: t.name }))}
    />
    </div>
  );
}
