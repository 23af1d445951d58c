import { Typography } from 'antd';
import { changeColor, changeText, pct, rateColor } from './rule-labels.ts';

const W = 200;

/**
 * This month beside last month as two thin SVG bars (no chart library: a pair of rectangles says it), with the
 * figures and the change in words beside them — the bars are for the eye, the text is what screen readers get.
 */
export function CompareBars({ current, previous, change, label }: { current: number | null; previous: number | null; change: number | null; label: string }) {
  const bar = (p: number | null) => Math.max(0, Math.min(100, p ?? 0)) / 100 * W;
  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: 12, flexWrap: 'wrap' }}>
      <svg width={W} height={22} viewBox={`0 0 ${W} 22`} aria-hidden style={{ flex: 'none', maxWidth: '100%' }}>
        <rect x={0} y={0} width={W} height={10} rx={3} fill="#f0f0f0" />
        <rect x={0} y={0} width={bar(current)} height={10} rx={3} fill={rateColor(current)} />
        <rect x={0} y={14} width={W} height={6} rx={3} fill="#f0f0f0" />
        <rect x={0} y={14} width={bar(previous)} height={6} rx={3} fill="#8c8c8c" />
      </svg>
      <span aria-label={`${label}本月完成率 ${pct(current)}，上月 ${pct(previous)}${change === null ? '' : `，${changeText(change)}`}`}>
        <Typography.Text strong style={{ fontSize: 16 }}>{pct(current)}</Typography.Text>
        <Typography.Text type="secondary"> 上月 {pct(previous)}</Typography.Text>
        {change !== null && <Typography.Text style={{ color: changeColor(change), marginLeft: 6 }}>{changeText(change)}</Typography.Text>}
      </span>
    </div>
  );
}
