import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Grid, Select, Skeleton, Space, Typography } from 'antd';
import { useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { OrgBreadcrumb } from '../app/org-breadcrumb.tsx';
import { UnavailableResult } from '../app/unavailable-result.tsx';
import { childrenQuery, orgQuery } from '../features/orgs/org-queries.ts';
import { ContactCardButton } from '../features/print/contact-card-button.tsx';
import { LinkMapList } from '../features/print/link-map-list.tsx';
import { linkMapPdfUrl, linkMapSvgUrl } from '../features/print/print-queries.ts';
import { PageTitle } from '../app/page-title.tsx';


/**
 * 联户示意图 of a village: on a desktop the poster as SVG (what the printer gets); on a narrow screen (< 768 px, where an
 * A3 sheet shrinks past reading) the same content as a list per member; the PDF for the printer and the village's
 * contact cards either way. Posted publicly, so the map carries names and work phones only.
 */
export function LinkMapPage() {
  const { code = '' } = useParams();
  const org = useQuery(orgQuery(code));
  const children = useInfiniteQuery({ ...childrenQuery(code), enabled: org.isSuccess && org.data.level === 'village' && org.data.counts.children > 0 });
  const [params, setParams] = useSearchParams();
  const grid = params.get('grid') ?? undefined;
  const [svgFailed, setSvgFailed] = useState(false);
  const wide = Grid.useBreakpoint().md === true;

  if (org.isPending) return <Skeleton active />;
  if (org.isError) return <UnavailableResult error={org.error} title="未找到或无权查看" text="该村（社区）不存在，或不在您的查看范围内。" />;
  const o = org.data;
  const name = o.shortName || o.name;
  const grids = (children.data?.pages.flatMap((p) => p.data) ?? []).filter((c) => c.level === 'grid');
  const gridName = grids.find((g) => g.code === grid)?.name ?? '';
  if (o.level !== 'village') {
    return <Alert type="info" showIcon title="联户示意图按村（社区）制作" description="请在组织架构中选择一个村（社区）后再打开联户示意图。" />;
  }

  return (
    <article aria-labelledby="map-title">
      <OrgBreadcrumb org={o} trail={[{ label: '联户示意图' }]} />
      <PageTitle id="map-title" style={{ margin: '8px 0 12px' }}>{name} · 联户示意图</PageTitle>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
          按网格列出每名党员联系的住户和企业商户，可张贴公示：不含身份证号、居民电话和困难群体标签。
          一页放得下时为 A4 纵向，否则为 A3 横向并按网格分页。
        </Typography.Paragraph>
        <Space wrap>
          {grids.length > 0 && (
            <Select
              aria-label="范围"
              style={{ minWidth: 160 }}
              value={grid ?? ''}
              onChange={(v: string) => { setSvgFailed(false); setParams(v ? { grid: v } : {}, { replace: true }); }}
              options={[{ value: '', label: '全村（按网格分页）' }, ...grids.map((g) => ({ value: g.code, label: g.name }))]}
            />
          )}
          <Button type="primary" href={linkMapPdfUrl(o.code, grid)} download={`${name}${gridName}联户示意图.pdf`}>下载 PDF（打印张贴）</Button>
          {o.abilities.writeRegistry && (
            <ContactCardButton orgCode={o.code} label="打印全村联系卡" fileName={`${name}联系卡.pdf`} />
          )}
        </Space>
      </Card>
      {!wide ? (
        <LinkMapList code={o.code} grid={grid} />
      ) : svgFailed ? (
        <Alert type="error" showIcon title="示意图加载失败" description="请刷新页面重试；如仍失败，可直接下载 PDF。" />
      ) : (
        <div style={{ overflowX: 'auto', background: '#f0f0f0', padding: 8, borderRadius: 8 }} aria-label="示意图（可左右滑动）" role="region" tabIndex={0}>
          <img
            key={grid ?? ''}
            src={linkMapSvgUrl(o.code, grid)}
            alt={`${name}${gridName}党群连心工程联户示意图`}
            onError={() => setSvgFailed(true)}
            style={{ display: 'block', width: '100%', minWidth: 560, height: 'auto', background: '#fff' }}
          />
        </div>
      )}
    </article>
  );
}
