import { Card, Col, Row, Typography } from 'antd';
import { Link, useRouteLoaderData } from 'react-router';
import type { Me } from '@lianxin/contracts';
import { PageTitle } from '../app/page-title.tsx';
import { UnavailableResult } from '../app/unavailable-result.tsx';
import { settingsCards } from '../features/settings/settings-cards.ts';

/** 设置: a card per configuration screen the caller may open (settings-cards.ts). */
export function SettingsPage() {
  const me = useRouteLoaderData('shell') as Me;
  const cards = settingsCards.filter((c) => me.abilities.includes(c.ability));
  if (!cards.length) return <UnavailableResult error={null} title="无权查看" text="当前账号没有可以调整的设置。" />;
  return (
    <article aria-labelledby="settings-title">
      <PageTitle id="settings-title">设置</PageTitle>
      <Row gutter={[12, 12]}>
        {cards.map((c) => (
          <Col key={c.to} xs={24} md={12}>
            <Link to={c.to} style={{ display: 'block', height: '100%' }}>
              <Card hoverable size="small" style={{ height: '100%' }}>
                <Typography.Text strong style={{ fontSize: 16 }}>{c.title} ›</Typography.Text>
                <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>{c.description}</Typography.Paragraph>
              </Card>
            </Link>
          </Col>
        ))}
      </Row>
    </article>
  );
}
