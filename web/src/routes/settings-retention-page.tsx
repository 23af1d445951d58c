import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Input, Card, Form, Skeleton, Space, Typography } from 'antd';
import { PageTitle } from '../app/page-title.tsx';
import { UnavailableResult } from '../app/unavailable-result.tsx';
import { useSubmit } from '../app/use-submit.ts';
import { toNumber } from '../features/settings/number-field.ts';
import { SettingsBreadcrumb } from '../features/settings/settings-breadcrumb.tsx';
import { putRetention, retentionQuery } from '../features/settings/settings-queries.ts';

/** 导入保留期: finished imports and their error rows (which hold the uploaded personal data) go after this many days. */
export function SettingsRetentionPage() {
  const q = useQuery(retentionQuery);
  const { busy, error, run } = useSubmit('保存失败');
  if (q.isPending) return <Skeleton active />;
  if (q.isError) return <UnavailableResult error={q.error} title="无权查看" text="当前账号不能查看导入保留期设置。" />;
  const r = q.data;
  return (
    <article aria-labelledby="retention-title">
      <SettingsBreadcrumb trail={[{ label: '导入保留期' }]} />
      <PageTitle id="retention-title" style={{ marginTop: 8 }}>导入保留期</PageTitle>
      <Typography.Paragraph type="secondary">
        导入完成或失败的记录，连同错误明细（其中有上传的身份证号、电话等），保存到期后自动删除。已导入的住户和居民不受影响。
      </Typography.Paragraph>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Typography.Text data-testid="retention-current" style={{ fontSize: 16 }}>
          当前：保存 {r.days} 天（{r.source === 'setting' ? '在此设置' : '系统默认'}）
        </Typography.Text>
      </Card>
      {r.editable ? (
        <Form layout="vertical" disabled={busy} key={r.days} initialValues={{ days: r.days }} onFinish={(v: { days: number }) => run(() => putRetention(v.days))}>
          <Form.Item label={`保存天数（${r.min}–${r.max} 天）`} name="days" normalize={toNumber} rules={[{ required: true, message: '请填写天数' }]}>
            <Input type="number" inputMode="numeric" min={r.min} max={r.max} step={1} style={{ width: 200 }} />
          </Form.Item>
          {error && <Alert role="alert" type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
          <Space wrap>
            <Button type="primary" htmlType="submit" loading={busy}>保存</Button>
            {r.source === 'setting' && <Button onClick={() => run(() => putRetention(null))}>恢复默认（{r.defaultDays} 天）</Button>}
          </Space>
        </Form>
      ) : (
        <Alert type="info" showIcon title="导入保留期由连心办统一设置，这里仅供查看。" />
      )}
    </article>
  );
}
