import { Button, Result } from 'antd';
import { useNavigate } from 'react-router';
import { ResultTitle } from '../app/page-title.tsx';

export function NotFoundPage() {
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title={<ResultTitle>未找到或无权查看</ResultTitle>}
      subTitle="页面不存在，或不在您的查看范围内。"
      extra={<Button type="primary" onClick={() => navigate('/')}>返回首页</Button>}
    />
  );
}
