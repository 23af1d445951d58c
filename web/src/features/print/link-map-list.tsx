import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, Skeleton, Typography } from 'antd';
import { SectionTitle } from '../../app/page-title.tsx';
import { linkMapQuery } from './print-queries.ts';

/**
 * 联户示意图 on a narrow screen: the sheet's content as a list — per grid, each member with their work phone (a tap
 * calls) and the households and businesses they link. Read from the same data the printed sheet is drawn from.
 */
export function LinkMapList({ code, grid }: { code: string; grid?: string }) {
  const map = useQuery(linkMapQuery(code, grid));
  if (map.isPending) return <Skeleton active />;
  if (map.isError) return <Alert type="error" showIcon title="联户名单加载失败" description="请刷新页面重试；如仍失败，可直接下载 PDF。" />;
  const m = map.data;
  return (
    <section aria-label="联户名单">
      <Typography.Paragraph type="secondary" style={{ fontSize: 14 }}>{m.summary}</Typography.Paragraph>
      {m.grids.length === 0 && <Empty description="还没有登记住户或企业商户" />}
      {m.grids.map((g) => (
        <section key={g.name} aria-label={g.name} style={{ marginBottom: 16 }}>
          <SectionTitle style={{ marginBottom: 4 }}>{g.name}</SectionTitle>
          <Typography.Paragraph type="secondary" style={{ fontSize: 14, marginBottom: 8 }}>
            已联系 {g.linked} 户（家）{g.unlinked ? `，未联系 ${g.unlinked} 户（家）` : ''}
          </Typography.Paragraph>
          {g.members.map((p, i) => (
            <Card key={`${i}:${p.name}`} size="small" style={{ marginBottom: 8 }}>
              <div role="group" aria-label={p.name}>
                <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: 8 }}>
                  <Typography.Title level={3} style={{ margin: 0, fontSize: 16 }}>{p.name}</Typography.Title>
                  {p.workPhone
                    ? <a className="lx-tap" href={`tel:${p.workPhone.replace(/[^\d+]/g, '')}`} aria-label={`拨打${p.name}的工作电话 ${p.workPhone}`}>{p.workPhone}</a>
                    : <Typography.Text type="secondary">未登记工作电话</Typography.Text>}
                </div>
                <ul style={{ margin: '4px 0 0', paddingInlineStart: 20, fontSize: 15 }}>
                  {p.items.map((it, j) => <li key={`${j}:${it}`}>{it}</li>)}
                </ul>
              </div>
            </Card>
          ))}
        </section>
      ))}
    </section>
  );
}
