import { Button, Result } from 'antd';
import { useNavigate } from 'react-router';
import { isApiError } from '../api/api-client.ts';
import { ResultTitle } from './page-title.tsx';

/**
 * What a page shows when its record cannot be shown. Outside the caller's scope the server answers 404 (existence is
 * private), 403 or 400 for a malformed address: all read as "not found or not yours" — never a hint that it exists.
 * `error` null means the page itself decided the caller may not act here. Other errors say 加载失败 with the message.
 */
export function UnavailableResult({ error, title, text }: { error: Error | null; title: string; text: string }) {
  const navigate = useNavigate();
  const hidden = error === null || (['not_found', 'forbidden', 'validation_error'] as const).some((id) => isApiError(error, id));
  return (
    <Result
      status={hidden ? '404' : 'error'}
      title={<ResultTitle>{hidden ? title : '加载失败'}</ResultTitle>}
      subTitle={hidden ? text : error?.message}
      extra={<Button type="primary" onClick={() => navigate('/')}>返回首页</Button>}
    />
  );
}
