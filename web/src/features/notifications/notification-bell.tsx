import { lazy, Suspense, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Badge, Button, Spin } from 'antd';
import { unreadCountQuery } from './notifications-queries.ts';

// The list and its drawer load on the first tap: every signed-in page carries the bell, few open it.
const NotificationDrawer = lazy(() => import('./notification-drawer.tsx').then((m) => ({ default: m.NotificationDrawer })));

function BellIcon() {
  return (
    <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false" style={{ display: 'block' }}>
      <path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z" />
    </svg>
  );
}

/** 提醒 in the app header: the unread count on a bell; a tap opens the list. */
export function NotificationBell() {
  const unread = useQuery(unreadCountQuery);
  const [open, setOpen] = useState(false);
  const n = unread.data ?? 0;
  return (
    <>
      <Badge count={n} overflowCount={99} size="small" offset={[-4, 4]}>
        <Button
          type="text"
          onClick={() => setOpen(true)}
          aria-label={n ? `提醒，${n} 条未读` : '提醒'}
          aria-haspopup="dialog"
          icon={<BellIcon />}
          style={{ color: '#fff', width: 44, height: 44 }}
        />
      </Badge>
      {open && (
        <Suspense fallback={<Spin fullscreen />}>
          <NotificationDrawer onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
