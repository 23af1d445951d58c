import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { RouterProvider } from 'react-router';
import { queryClient } from '../auth/auth-queries.ts';
import { router } from './router.tsx';
import { theme } from './theme.ts';
import './global.css';

/** The signed-in app (every page but /login, see main.tsx): React, antd and the router. */
export function mountApp(root: HTMLElement) {
  createRoot(root).render(
    <StrictMode>
      {/* No space inserted between two CJK characters in a button (编 辑): what is read out must match what is shown. */}
      <ConfigProvider locale={zhCN} theme={theme} button={{ autoInsertSpace: false }}>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </ConfigProvider>
    </StrictMode>,
  );
}
