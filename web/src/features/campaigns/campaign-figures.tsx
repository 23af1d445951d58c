import { Flex, Progress, Typography } from 'antd';
import type { CampaignFigures } from '@lianxin/contracts';
import { changeColor, changeText, pct, rateColor } from '../visit-rules/rule-labels.ts';

/**
 * The campaign's two figures, never merged into one: households (and businesses) visited, and away residents reached
 * themselves by phone, WeChat or video — "不落一户、不落一人".
 */
export function CampaignFigureBars({ f, label = '', compact = false }: { f: CampaignFigures; label?: string; compact?: boolean }) {
  const size = compact ? 'small' : undefined;
  return (
    <Flex vertical gap={compact ? 0 : 4} style={{ width: '100%' }}>
      <div data-testid="figure-visited" data-visited={f.visited} data-total={f.total}>
        <Typography.Text>已走访 <strong>{f.visited}</strong> / {f.total} 户（家）</Typography.Text>
        <Progress size={size} percent={f.percent ?? 0} strokeColor={rateColor(f.percent)} format={() => pct(f.percent)} aria-label={`${label}走访 ${pct(f.percent)}`} />
      </div>
      {f.awayTotal > 0 && (
        <div data-testid="figure-away" data-reached={f.awayReached} data-total={f.awayTotal}>
          <Typography.Text>在外人员已联系 <strong>{f.awayReached}</strong> / {f.awayTotal} 人</Typography.Text>
          <Progress size={size} percent={f.awayPercent ?? 0} strokeColor={rateColor(f.awayPercent)} format={() => pct(f.awayPercent)} aria-label={`${label}在外人员联系 ${pct(f.awayPercent)}`} />
        </div>
      )}
    </Flex>
  );
}

/** Against the previous campaign of the same scope: its figure and the change in percentage points. */
export function ComparisonText({ previous, change, name }: { previous: CampaignFigures | null; change: number | null; name?: string }) {
  if (!previous) return null;
  return (
    <Typography.Text type="secondary">
      {name ? `上次（${name}）` : '上次'} {pct(previous.percent)}
      {change !== null && <Typography.Text style={{ color: changeColor(change), marginLeft: 6 }}>{changeText(change)}</Typography.Text>}
    </Typography.Text>
  );
}
