import { Button, Card, Input, Radio, Select } from 'antd';
import type { RaisedItemInput } from '@lianxin/contracts';
import { ITEM_DESCRIPTION_MAX, ITEMS_MAX, urgencyLabels, type ItemUrgency } from './visit-labels.ts';
import type { ItemCategory } from './visit-types.ts';

/**
 * 反映事项: each a structured row (category, what, how urgent), kept apart from the notes so it is never lost in a
 * text blob and can later become a matter.
 */
export function ItemsField({ items, categories, onChange, disabled }: {
  items: RaisedItemInput[];
  categories: ItemCategory[];
  onChange: (items: RaisedItemInput[]) => void;
  disabled?: boolean;
}) {
  const set = (i: number, patch: Partial<RaisedItemInput>) => onChange(items.map((it, n) => (n === i ? { ...it, ...patch } : it)));
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
      {items.map((it, i) => (
        <Card key={i} size="small" role="group" aria-label={`事项 ${i + 1}`}>
          <div style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
            <Select
              aria-label={`事项 ${i + 1} 类别`}
              size="large"
              placeholder="选择类别"
              disabled={disabled}
              value={it.category || undefined}
              onChange={(category: string) => set(i, { category })}
              options={categories.map((c) => ({ value: c.code, label: c.name }))}
            />
            <Input.TextArea
              aria-label={`事项 ${i + 1} 内容`}
              placeholder="群众反映了什么（简要）"
              autoSize={{ minRows: 2, maxRows: 4 }}
              maxLength={ITEM_DESCRIPTION_MAX}
              showCount
              disabled={disabled}
              value={it.description}
              onChange={(e) => set(i, { description: e.target.value })}
            />
            <div style={{ display: 'flex', flexWrap: 'wrap', justifyContent: 'space-between', alignItems: 'center', gap: 8 }}>
              <Radio.Group
                className="lx-radios"
                aria-label={`事项 ${i + 1} 紧急程度`}
                disabled={disabled}
                value={it.urgency}
                onChange={(e) => set(i, { urgency: e.target.value as ItemUrgency })}
                options={(Object.keys(urgencyLabels) as ItemUrgency[]).map((u) => ({ value: u, label: urgencyLabels[u] }))}
              />
              <Button danger disabled={disabled} onClick={() => onChange(items.filter((_, n) => n !== i))}>删除事项 {i + 1}</Button>
            </div>
          </div>
        </Card>
      ))}
      {items.length < ITEMS_MAX && (
        <Button size="large" disabled={disabled} onClick={() => onChange([...items, { category: '', description: '', urgency: 'normal' }])}>
          添加反映事项
        </Button>
      )}
    </div>
  );
}

/** The first problem of the items as the member would fix it, or null. */
export function itemsProblem(items: RaisedItemInput[]): string | null {
  const i = items.findIndex((it) => !it.category || !it.description.trim());
  if (i < 0) return null;
  return items[i]!.category ? `请填写事项 ${i + 1} 的内容` : `请选择事项 ${i + 1} 的类别`;
}
