import { Checkbox, Input, Radio, Typography } from 'antd';
import type { Resident, VisitChannel } from '@lianxin/contracts';
import { channelOptions } from './visit-labels.ts';

/** A moment as `<input type="datetime-local">` wants it, in the phone's own time (members' phones are in China). */
export function toLocalInput(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** The input's local time as an ISO instant, or null when empty or unreadable. */
export function fromLocalInput(value: string): string | null {
  const t = new Date(value);
  return value && !Number.isNaN(t.getTime()) ? t.toISOString() : null;
}

/** 走访方式: big buttons, one tap each (the phone's thumb, an elderly member's eyes). */
export function ChannelField({ value, onChange, disabled }: { value: VisitChannel; onChange: (c: VisitChannel) => void; disabled?: boolean }) {
  return (
    <Radio.Group
      aria-label="走访方式"
      optionType="button"
      buttonStyle="solid"
      size="large"
      disabled={disabled}
      value={value}
      onChange={(e) => onChange(e.target.value as VisitChannel)}
      options={channelOptions}
      style={{ display: 'flex', flexWrap: 'wrap', gap: 4 }}
    />
  );
}

export function TimeField({ id, value, onChange, disabled }: { id: string; value: string; onChange: (v: string) => void; disabled?: boolean }) {
  return (
    <Input
      id={id}
      type="datetime-local"
      size="large"
      disabled={disabled}
      value={value}
      max={toLocalInput(new Date())}
      onChange={(e) => onChange(e.target.value)}
      style={{ maxWidth: 260 }}
    />
  );
}

/** Which residents took part; those away from home say so (reached only by phone/WeChat/video). */
export function ResidentsField({ residents, value, onChange, disabled }: {
  residents: Pick<Resident, 'id' | 'name' | 'relation' | 'awayScope'>[];
  value: string[];
  onChange: (ids: string[]) => void;
  disabled?: boolean;
}) {
  if (residents.length === 0) return <Typography.Text type="secondary">没有登记在册的成员</Typography.Text>;
  return (
    <Checkbox.Group className="lx-checks" aria-label="参与的家庭成员" disabled={disabled} value={value} onChange={(v) => onChange(v as string[])}>
      {residents.map((r) => (
        <Checkbox key={r.id} value={r.id}>
          {r.name}<Typography.Text type="secondary">（{r.relation}{r.awayScope ? '，在外' : ''}）</Typography.Text>
        </Checkbox>
      ))}
    </Checkbox.Group>
  );
}
