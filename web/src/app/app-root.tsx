import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { RouterProvider } from 'react-router';
import { queryClient } from '../auth/auth-queries.ts';
import { router } from './router.tsx';
import { theme } from './theme.ts';
// antd's zero-runtime mode: its components' styles come from this static sheet (75 KB brotli, cached by the service
// worker) instead of being generated in the browser on each first render — that generation was about half of the
// member's first page's script time on a slow phone (Lighthouse, 4× CPU). The theme's tokens still apply: antd writes
// them (and the component tokens in theme.ts) as CSS variables, which the sheet reads; pages render pixel-identical.
import 'antd/dist/antd.css';
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
