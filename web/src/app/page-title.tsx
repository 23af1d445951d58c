import type { CSSProperties, ReactNode } from 'react';
import { Typography } from 'antd';

/**
 * The page's one h1 (its title), sized like a section title so phones keep the space. Every page uses it, and the
 * sections below it are h2 (SectionTitle): screen readers get one page heading and headings in order (axe
 * page-has-heading-one, heading-order).
 */
export function PageTitle({ id, children, style }: { id?: string; children: ReactNode; style?: CSSProperties }) {
  return <Typography.Title level={1} id={id} style={{ fontSize: 24, lineHeight: 1.35, ...style }}>{children}</Typography.Title>;
}

/** A Result's title as the page's h1 (not found, failed to load): the page has no other title then. */
export function ResultTitle({ children }: { children: ReactNode }) {
  return <h1 style={{ font: 'inherit', color: 'inherit', margin: 0 }}>{children}</h1>;
}

/** A section heading under the page title (h2). */
export function SectionTitle({ id, children, style }: { id?: string; children: ReactNode; style?: CSSProperties }) {
  return <Typography.Title level={2} id={id} style={{ fontSize: 18, lineHeight: 1.4, ...style }}>{children}</Typography.Title>;
}
