import { useQuery } from '@tanstack/react-query';
import { Alert, Breadcrumb, Card, Col, Empty, Grid, List, Progress, Row, Skeleton, Statistic, Table, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import type { CoverageRow } from '@lianxin/contracts';
import { UnavailableResult } from '../app/unavailable-result.tsx';
import { kindKeys, kindLabels, kinds, percent, shanghaiTime } from '../features/coverage/coverage-labels.ts';
import { coverageQuery } from '../features/coverage/coverage-queries.ts';
import { canRegister } from '../features/households/household-abilities.ts';
import { SuggestionsSection } from '../features/coverage/suggestions-section.tsx';
import { UnlinkedSection } from '../features/coverage/unlinked-section.tsx';
import { orgLevelLabels } from '../features/orgs/org-labels.ts';
import { orgQuery } from '../features/orgs/org-queries.ts';
import { PageTitle, SectionTitle } from '../app/page-title.tsx';


const rateColor = (rate: number) => (rate >= 0.95 ? '#52c41a' : rate >= 0.8 ? '#faad14' : '#c8161d');

export function CoveragePage() {
  const { code = '' } = useParams();
  const wide = Grid.useBreakpoint().md === true;
  const coverage = useQuery(coverageQuery(code));
  const org = useQuery(orgQuery(code));

  if (coverage.isPending) return <Skeleton active />;
  if (coverage.isError) {
    return <UnavailableResult error={coverage.error} title="未找到或无权查看" text="该组织的联户覆盖不存在，或不在您的查看范围内。" />;
  }

  const c = coverage.data;
  const hh = c.households;
  const children = [...c.children].sort((a, b) => a.households.rate - b.households.rate || b.households.unlinked - a.households.unlinked);
  const isVillage = c.level === 'village' || c.level === 'grid';
  const canAssign = org.data?.abilities.writeRegistry === true;
  const childLink = (r: CoverageRow) => `/orgs/${encodeURIComponent(r.code)}/coverage`;

  return (
    <article aria-labelledby="coverage-title">
      <nav aria-label="位置">
        <Breadcrumb
          className="lx-breadcrumb"
          items={[
            ...(org.data?.ancestors ?? []).map((a) => ({ key: a.code, title: <Link to={`/orgs/${encodeURIComponent(a.code)}/coverage`}>{a.name}</Link> })),
            { key: c.code, title: <Link to={`/orgs/${encodeURIComponent(c.code)}`}>{org.data?.shortName || c.name}</Link> },
            { key: 'coverage', title: <span aria-current="page">联户覆盖</span> },
          ]}
        />
      </nav>
      <PageTitle id="coverage-title" style={{ margin: '8px 0 12px' }}>{c.name} · 联户覆盖</PageTitle>
      {org.data?.abilities.readRegistry && (
        <p style={{ margin: '0 0 12px', display: 'flex', flexWrap: 'wrap', gap: 16, alignItems: 'center' }}>
          {/* Names and addresses only (no ID numbers or residents' phones); the server audits each download. */}
          <a href={`/api/v1/links/export.xlsx?org=${encodeURIComponent(c.code)}`} download className="lx-tap">导出联户名册（Excel）</a>
          {canRegister(org.data) && (
            <Link to={`/orgs/${encodeURIComponent(c.code)}/import/links`} className="lx-tap" data-testid="import-links">批量导入联户关系</Link>
          )}
        </p>
      )}
      <Card size="small" style={{ marginBottom: 12 }}>
        <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 16 }}>
          <div role="group" aria-label="住户覆盖率" data-testid="household-rate" data-rate={hh.rate} style={{ textAlign: 'center' }}>
            <Progress type="circle" size={112} percent={Math.round(hh.rate * 1000) / 10} strokeColor={rateColor(hh.rate)} format={() => percent(hh.rate)} aria-label={`住户覆盖率 ${percent(hh.rate)}`} />
            <div style={{ fontSize: 14, marginTop: 4 }}>住户覆盖率</div>
          </div>
          <div style={{ display: 'flex', gap: 24, flexWrap: 'wrap' }}>
            <Statistic title="已联系住户" value={hh.linked} suffix="户" data-testid="households-linked" />
            <Statistic title="未联系住户" value={hh.unlinked} suffix="户" data-testid="households-unlinked" styles={{ content: { color: hh.unlinked > 0 ? '#c8161d' : undefined } }} />
          </div>
        </div>
      </Card>
      <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
        {kinds.map((k) => {
          const v = c[kindKeys[k]];
          return (
            <Col key={k} xs={12} md={6}>
              <Card size="small" role="group" aria-label={`${kindLabels[k]}覆盖`}>
                <div style={{ fontSize: 16, fontWeight: 500 }}>{kindLabels[k]}</div>
                <div style={{ fontSize: 14 }}>已联系 <strong data-testid={`${k}-linked`}>{v.linked}</strong></div>
                <div style={{ fontSize: 14 }}>未联系 <strong data-testid={`${k}-unlinked`} style={{ color: v.unlinked > 0 ? '#c8161d' : undefined }}>{v.unlinked}</strong></div>
                <Progress percent={Math.round(v.rate * 1000) / 10} showInfo={false} strokeColor={rateColor(v.rate)} aria-label={`${kindLabels[k]}覆盖率 ${percent(v.rate)}`} />
              </Card>
            </Col>
          );
        })}
      </Row>
      <Card size="small" title={<span style={{ fontSize: 16 }}>党员联户数（目标 {c.members.target.min}–{c.members.target.max} 户）</span>} style={{ marginBottom: 12 }}>
        <Row gutter={[12, 12]}>
          <Col xs={12} md={6}><Statistic title="党员" value={c.members.total} suffix="人" /></Col>
          <Col xs={12} md={6}><Statistic title={`低于 ${c.members.target.min} 户`} value={c.members.under} suffix="人" /></Col>
          <Col xs={12} md={6}><Statistic title="达到目标" value={c.members.within} suffix="人" /></Col>
          <Col xs={12} md={6}><Statistic title={`超过 ${c.members.target.max} 户`} value={c.members.over} suffix="人" styles={{ content: { color: c.members.over > 0 ? '#c8161d' : undefined } }} /></Col>
        </Row>
      </Card>
      <Typography.Paragraph type="secondary" style={{ fontSize: 14 }} data-testid="coverage-as-of">数据截至 {shanghaiTime(c.asOf)}（北京时间）</Typography.Paragraph>

      {isVillage && canAssign && <SuggestionsSection org={c.code} />}
      {/* The unlinked list names households: registry readers only. A member sees the branch's aggregates above. */}
      {isVillage && org.data?.abilities.readRegistry && <UnlinkedSection org={c.code} canAssign={canAssign} />}
      {!isVillage && canAssign && c.level === 'town' && <SuggestionsSection org={c.code} />}

      {children.length > 0 && (
        <section aria-labelledby="children-title">
          <SectionTitle id="children-title">下级覆盖（覆盖率从低到高）</SectionTitle>
          {wide ? (
            <Table<CoverageRow>
              rowKey="code"
              pagination={false}
              dataSource={children}
              columns={[
                { key: 'name', title: '名称', render: (_, r) => <Link to={childLink(r)} className="lx-tap" data-rate={r.households.rate}>{r.name}</Link> },
                { key: 'level', title: '层级', render: (_, r) => orgLevelLabels[r.level] },
                { key: 'rate', title: '住户覆盖率', render: (_, r) => <Progress percent={Math.round(r.households.rate * 1000) / 10} strokeColor={rateColor(r.households.rate)} format={() => percent(r.households.rate)} style={{ minWidth: 160 }} aria-label={`${r.name}住户覆盖率 ${percent(r.households.rate)}`} /> },
                { key: 'hh', title: '住户（已/未联系）', render: (_, r) => `${r.households.linked} / ${r.households.unlinked}` },
                { key: 'all', title: '全部对象覆盖率', render: (_, r) => percent(r.all.rate) },
                { key: 'over', title: '超目标党员', render: (_, r) => r.members.over },
              ]}
            />
          ) : (
            <List
              bordered
              style={{ background: '#fff' }}
              dataSource={children}
              locale={{ emptyText: <Empty description="没有下级组织" /> }}
              renderItem={(r) => (
                <List.Item key={r.code} style={{ padding: '4px 12px' }}>
                  <Link to={childLink(r)} className="lx-row-link" style={{ width: '100%' }} data-rate={r.households.rate}>
                    <span style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                      <strong style={{ fontSize: 16 }}>{r.name}</strong>
                      <span style={{ fontSize: 14 }}>未联系 {r.households.unlinked} 户</span>
                    </span>
                    <Progress percent={Math.round(r.households.rate * 1000) / 10} strokeColor={rateColor(r.households.rate)} format={() => percent(r.households.rate)} aria-label={`${r.name}住户覆盖率 ${percent(r.households.rate)}`} />
                  </Link>
                </List.Item>
              )}
            />
          )}
        </section>
      )}
      {!isVillage && children.length === 0 && <Alert type="info" showIcon title="没有下级组织的覆盖数据" />}
    </article>
  );
}
