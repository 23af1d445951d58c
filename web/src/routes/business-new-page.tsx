import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Breadcrumb, Button, Card, Form, Radio, Result, Select, Skeleton, Typography } from 'antd';
import { Link, useNavigate, useRouteLoaderData, useSearchParams } from 'react-router';
import type { BusinessKind, Me } from '@lianxin/contracts';
import { isApiError } from '../api/api-client.ts';
import { describeSaveError, type SaveError } from '../features/businesses/business-errors.ts';
import { BusinessFields, businessBody, useGrids, type BusinessFormValues } from '../features/businesses/business-fields.tsx';
import { kindOptions } from '../features/businesses/business-labels.ts';
import { createBusiness } from '../features/businesses/business-queries.ts';
import { canRegister } from '../features/households/household-abilities.ts';
import { fetchAllChildren, orgQuery } from '../features/orgs/org-queries.ts';
import { PageTitle } from '../app/page-title.tsx';

interface NewBusinessValues extends BusinessFormValues {
  kind: BusinessKind;
  orgCode?: string;
}

const KINDS = new Set<string>(['enterprise', 'shop', 'team']);

/** /businesses/new?org=… — 登记企业、商户或班组 in a village (a town picks the village). */
export function BusinessNewPage() {
  const me = useRouteLoaderData('shell') as Me;
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const orgParam = params.get('org') ?? me.scopeRoots[0]?.code ?? '';
  const kindParam = params.get('kind');
  const org = useQuery({ ...orgQuery(orgParam), enabled: orgParam !== '' });
  const [form] = Form.useForm<NewBusinessValues>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<SaveError | null>(null);

  const isVillage = org.data?.level === 'village';
  const villages = useQuery({
    queryKey: ['org-all-children', orgParam],
    queryFn: () => fetchAllChildren(orgParam),
    enabled: org.isSuccess && !isVillage,
    staleTime: 60_000,
  });
  const kind = (Form.useWatch('kind', form) ?? (kindParam && KINDS.has(kindParam) ? kindParam : 'shop')) as BusinessKind;
  const chosenVillage = Form.useWatch('orgCode', form) ?? (isVillage ? orgParam : undefined);
  const grids = useGrids(chosenVillage);

  if (!orgParam || org.isError || (org.isSuccess && !canRegister(org.data))) {
    return (
      <Result
        status="404"
        title="无法新增企业商户"
        subTitle={org.isError && !isApiError(org.error, 'not_found') ? org.error.message : '该组织不存在，或您没有登记企业商户的权限。'}
        extra={<Button type="primary" onClick={() => navigate('/')}>返回首页</Button>}
      />
    );
  }
  if (org.isPending) return <Skeleton active />;
  const o = org.data;

  async function onFinish(v: NewBusinessValues) {
    setSubmitting(true);
    setError(null);
    try {
      const b = await createBusiness({ kind: v.kind, orgCode: isVillage ? o.code : v.orgCode!, ...businessBody(v.kind, v, (grids.data?.length ?? 0) > 0) });
      navigate(`/businesses/${encodeURIComponent(b.id)}`, { replace: true });
    } catch (e) {
      const err = describeSaveError(e);
      form.setFields(err.fields.map((f) => ({ name: f.name as never, errors: f.errors })));
      setError(err);
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <article aria-labelledby="new-business-title">
      <nav aria-label="位置">
        <Breadcrumb
          className="lx-breadcrumb"
          items={[
            { key: 'org', title: <Link to={`/orgs/${encodeURIComponent(o.code)}`}>{o.shortName || o.name}</Link> },
            { key: 'list', title: <Link to={`/orgs/${encodeURIComponent(o.code)}/businesses`}>企业商户</Link> },
            { key: 'new', title: <span aria-current="page">新增企业商户</span> },
          ]}
        />
      </nav>
      <PageTitle id="new-business-title" style={{ marginTop: 8 }}>新增企业商户</PageTitle>
      <Typography.Paragraph type="secondary" style={{ fontSize: 14 }}>
        登记到：{o.name}。先选类型：企业、个体工商户（商户）或企业的班组。带 * 的必须填写。
      </Typography.Paragraph>
      <Form<NewBusinessValues>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        disabled={submitting}
        scrollToFirstError
        initialValues={{ kind }}
        onValuesChange={(changed: Partial<NewBusinessValues>) => {
          if ('orgCode' in changed) form.setFieldsValue({ gridCode: undefined, parentId: undefined });
        }}
      >
        <Card size="small" style={{ marginBottom: 12 }}>
          <Form.Item label="类型" name="kind" rules={[{ required: true, message: '请选择类型' }]}>
            <Radio.Group className="lx-radios lx-checks" options={kindOptions} />
          </Form.Item>
          {!isVillage && (
            <Form.Item label="所属村（社区）" name="orgCode" rules={[{ required: true, message: '请选择所属村（社区）' }]}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                loading={villages.isPending}
                placeholder="请选择"
                options={(villages.data ?? []).filter((c) => c.level === 'village').map((c) => ({ value: c.code, label: c.name }))}
              />
            </Form.Item>
          )}
          <BusinessFields kind={kind} village={chosenVillage} grids={grids.data ?? []} />
        </Card>
        {error && (
          <section aria-label="保存失败原因">
            <Alert
              role="alert"
              type="error"
              showIcon
              title={error.title}
              description={
                <>
                  {error.lines.map((l) => <div key={l}>{l}</div>)}
                  {error.existingId && <Link to={`/businesses/${encodeURIComponent(error.existingId)}`} className="lx-tap">查看已登记的企业（商户）</Link>}
                </>
              }
              style={{ marginBottom: 12 }}
            />
          </section>
        )}
        <div style={{ display: 'flex', gap: 8 }}>
          <Button type="primary" htmlType="submit" loading={submitting} style={{ flex: 1 }}>保存登记</Button>
          <Button onClick={() => navigate(-1)} disabled={submitting}>取消</Button>
        </div>
      </Form>
    </article>
  );
}
