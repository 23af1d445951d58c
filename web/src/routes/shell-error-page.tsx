import { Button, Result } from 'antd';
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { ResultTitle } from '../app/page-title.tsx';

/** What the shell shows when a page's code or data fails to load (app-shell.tsx ShellError). */
export function ShellErrorPage() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error) ? error.statusText : error instanceof Error ? error.message : '页面出错了';
  return (
    <Result
      status="error"
      title={<ResultTitle>页面加载失败</ResultTitle>}
      subTitle={message}
      extra={<Button type="primary" onClick={() => location.reload()}>重新加载</Button>}
    />
  );
}
