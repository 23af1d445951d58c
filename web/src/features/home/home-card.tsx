import { useId, type ReactNode } from 'react';
import type { Me } from '@lianxin/contracts';
import type { UseQueryResult } from '@tanstack/react-query';
import { Button, Flex, Skeleton, Typography } from 'antd';
import { Link } from 'react-router';
import { isApiError } from '../../api/api-client.ts';
import { SectionTitle } from '../../app/page-title.tsx';

/** An org's page (or one of its pages), as the cards link to it. */
export const orgPath = (code: string, page = '') => `/orgs/${encodeURIComponent(code)}${page ? `/${page}` : ''}`;

/** What the home page gives every card. */
export interface HomeCardProps { me: Me }

/**
 * The frame of every home card: its title (an h2 under the page's 工作台), its own loading state, and — because one
 * card failing must not blank the page — a quiet line with 重试 instead of a red box. A card the server refuses
 * (403/404: the role may not see it) is left out altogether; the registry should not have offered it.
 */
export function HomeCard<T>({ title, query, extra, children }: {
  title: string;
  query: UseQueryResult<T, Error>;
  extra?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (query.isError && (isApiError(query.error, 'forbidden') || isApiError(query.error, 'not_found'))) return null;
  return (
    <CardFrame title={title} extra={extra}>
      {query.isPending ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : query.isError ? (
        <Flex align="center" gap={8} wrap>
          <Typography.Text type="secondary">暂时无法加载：{query.error.message}</Typography.Text>
          <Button size="small" onClick={() => query.refetch()}>重试</Button>
        </Flex>
      ) : (
        children(query.data)
      )}
    </CardFrame>
  );
}

/**
 * The card itself, for a card with nothing to load (links only): a region named by its h2. Plain elements styled like
 * antd's small card (global.css .lx-card), not antd's Card, which brings its Tabs along (11 KB gzip) to every home.
 */
export function CardFrame({ title, extra, children }: { title: string; extra?: ReactNode; children: ReactNode }) {
  const id = useId();
  return (
    <section className="lx-card" aria-labelledby={id}>
      <div className="lx-card-head">
        <SectionTitle id={id} style={{ margin: 0, fontSize: 17 }}>{title}</SectionTitle>
        {extra}
      </div>
      <div className="lx-card-body">{children}</div>
    </section>
  );
}

/** A card's way to the page that does the work: a full-width tap target. */
export function CardLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <Link to={to} className="lx-block-link" style={{ justifyContent: 'space-between', fontSize: 16 }}>
      <span>{children}</span>
      <span aria-hidden>›</span>
    </Link>
  );
}

/** A big figure with its label (a number people read at a glance). */
export function Figure({ value, label, warn = false }: { value: number | string; label: string; warn?: boolean }) {
  return (
    <div style={{ minWidth: 88 }}>
      <div style={{ fontSize: 26, fontWeight: 600, lineHeight: 1.2, color: warn ? '#b0121a' : undefined }}>{value}</div>
      <Typography.Text type="secondary">{label}</Typography.Text>
    </div>
  );
}

/**
 * A plain CSS bar (share 0–1): antd has no charts and a chart library is not worth its weight for a row of bars.
 * The numbers stay in the text beside it; the bar is decoration for the eye, hidden from screen readers.
 */
export function ShareBar({ share, color }: { share: number; color: string }) {
  return (
    <div aria-hidden style={{ height: 8, background: '#f0f0f0', borderRadius: 4, overflow: 'hidden', minWidth: 80 }}>
      <div style={{ width: `${Math.max(0, Math.min(1, share)) * 100}%`, height: '100%', background: color }} />
    </div>
  );
}
