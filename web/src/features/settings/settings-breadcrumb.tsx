import { Breadcrumb } from 'antd';
import { Link } from 'react-router';

/** 设置 › this screen (› further steps): where a settings screen sits, the last entry the current page. */
export function SettingsBreadcrumb({ trail }: { trail: { label: string; to?: string }[] }) {
  const items = [{ label: '设置', to: '/settings' }, ...trail];
  return (
    <nav aria-label="位置">
      <Breadcrumb
        className="lx-breadcrumb"
        items={items.map((t, i) => ({
          key: `${i}`,
          title: i === items.length - 1 || !t.to ? <span aria-current={i === items.length - 1 ? 'page' : undefined}>{t.label}</span> : <Link to={t.to}>{t.label}</Link>,
        }))}
      />
    </nav>
  );
}
