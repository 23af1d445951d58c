import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Breadcrumb, Button, Card, Form, Input, Result, Select, Skeleton, Typography } from 'antd';
import { Link, useNavigate, useRouteLoaderData, useSearchParams } from 'react-router';
import type { HouseholdCreate, Me, ResidentInput } from '@lianxin/contracts';
import { isApiError } from '../api/api-client.ts';
import { fieldIssues, idConflicts, matchesMask, type FieldIssue } from '../features/households/api-errors.ts';
import { canRegister } from '../features/households/household-abilities.ts';
import { createHousehold } from '../features/households/household-queries.ts';
import { TagCheckboxes } from '../features/households/household-tags.tsx';
import { normalizeIdNumber } from '../features/households/id-number.ts';
import { ResidentFields, residentBody, type ResidentFormValues } from '../features/households/resident-fields.tsx';
import { fetchAllChildren, orgQuery } from '../features/orgs/org-queries.ts';
import { PageTitle, SectionTitle } from '../app/page-title.tsx';

interface NewHouseholdValues {
  orgCode?: string;
  gridCode?: string;
  address: string;
  tags: string[];
  residents: ResidentFormValues[];
}

const fieldLabels: Record<string, string> = {
  orgCode: '所属村（社区）', gridCode: '网格', address: '住址', tags: '标签', name: '姓名', sex: '性别', birthDate: '出生日期',
  idNumber: '身份证号', phone: '联系电话', relation: '与户主关系', awayScope: '是否在外', awayPlace: '在外地点',
};

function describe(issue: FieldIssue): string {
  const [head, index, field] = issue.path;
  if (head === 'residents' && typeof index === 'number') return `第${index + 1}位成员${field ? ` ${fieldLabels[String(field)] ?? ''}` : ''}：${issue.message}`;
  return `${fieldLabels[String(head)] ?? '填写内容'}：${issue.message}`;
}

export function HouseholdNewPage() {
  const me = useRouteLoaderData('shell') as Me;
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const orgParam = params.get('org') ?? me.scopeRoots[0]?.code ?? '';
  const org = useQuery({ ...orgQuery(orgParam), enabled: orgParam !== '' });
  const [form] = Form.useForm<NewHouseholdValues>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<{ title: string; lines: string[]; householdId?: string } | null>(null);

  const isVillage = org.data?.level === 'village';
  // A town registers into one of its villages; a village into one of its grids (when it has any).
  const villages = useQuery({
    queryKey: ['org-all-children', orgParam],
    queryFn: () => fetchAllChildren(orgParam),
    enabled: org.isSuccess && !isVillage,
    staleTime: 60_000,
  });
  const chosenVillage = Form.useWatch('orgCode', form) ?? (isVillage ? orgParam : undefined);
  const grids = useQuery({
    queryKey: ['org-all-children', chosenVillage],
    queryFn: () => fetchAllChildren(chosenVillage!),
    enabled: Boolean(chosenVillage),
    staleTime: 60_000,
    select: (rows) => rows.filter((r) => r.level === 'grid'),
  });

  if (!orgParam || org.isError || (org.isSuccess && !canRegister(org.data))) {
    return (
      <Result
        status="404"
        title="无法新增住户"
        subTitle={org.isError && !isApiError(org.error, 'not_found') ? org.error.message : '该组织不存在，或您没有登记住户的权限。'}
        extra={<Button type="primary" onClick={() => navigate('/')}>返回首页</Button>}
      />
    );
  }
  if (org.isPending) return <Skeleton active />;
  const o = org.data;

  async function onFinish(v: NewHouseholdValues) {
    setSubmitting(true);
    setError(null);
    const body: HouseholdCreate = {
      orgCode: isVillage ? o.code : v.orgCode!,
      gridCode: v.gridCode || null,
      address: v.address.trim(),
      tags: v.tags ?? [],
      residents: v.residents.map((r) => residentBody(r) as ResidentInput),
    };
    try {
      const h = await createHousehold(body);
      navigate(`/households/${encodeURIComponent(h.id)}`, { replace: true });
    } catch (e) {
      const issues = fieldIssues(e);
      const conflicts = idConflicts(e);
      if (issues.length > 0) {
        form.setFields(issues.filter((i) => i.path.length > 0).map((i) => ({ name: i.path as never, errors: [i.message] })));
        setError({ title: '请按提示修改后再保存', lines: issues.map(describe) });
      } else if (conflicts) {
        // The server answers with masked numbers: find the rows they belong to (same first 3 and last 4 characters).
        const lines: string[] = [];
        const rows = new Set<number>();
        for (const c of conflicts) {
          const row = v.residents.findIndex((r) => matchesMask(normalizeIdNumber(r.idNumber ?? ''), c.idNumberMasked));
          if (row >= 0) rows.add(row);
          lines.push(`${row >= 0 ? `第${row + 1}位成员：` : ''}身份证号 ${c.idNumberMasked ?? ''} 已经登记过，不能重复登记`);
        }
        if (lines.length === 0) lines.push('有成员的身份证号已经登记过，不能重复登记');
        form.setFields([...rows].map((row) => ({ name: ['residents', row, 'idNumber'], errors: ['该身份证号已经登记过，不能重复登记'] })));
        const householdId = conflicts.find((c) => c.householdId)?.householdId;
        lines.push(householdId ? '可打开已登记的住户查看。' : '此人可能已登记在其他村（社区），请联系上级核实。');
        setError({ title: '该身份证号已登记', lines, householdId });
      } else {
        setError({ title: isApiError(e, 'forbidden') ? '没有权限' : '保存失败', lines: [e instanceof Error ? e.message : '请稍后再试'] });
      }
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <article aria-labelledby="new-household-title">
      <nav aria-label="位置">
        <Breadcrumb
          className="lx-breadcrumb"
          items={[
            { key: 'org', title: <Link to={`/orgs/${encodeURIComponent(o.code)}`}>{o.shortName || o.name}</Link> },
            { key: 'list', title: <Link to={`/orgs/${encodeURIComponent(o.code)}/households`}>户籍</Link> },
            { key: 'new', title: <span aria-current="page">新增住户</span> },
          ]}
        />
      </nav>
      <PageTitle id="new-household-title" style={{ marginTop: 8 }}>新增住户</PageTitle>
      <Typography.Paragraph type="secondary" style={{ fontSize: 14 }}>
        登记到：{o.name}。先填住址，再逐一填写家庭成员，第一位默认是户主。带 * 的必须填写。
      </Typography.Paragraph>
      <Form<NewHouseholdValues>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        disabled={submitting}
        scrollToFirstError
        initialValues={{ tags: [], residents: [{ relation: '户主', awayScope: '' }] }}
      >
        <Card size="small" title="住户信息" style={{ marginBottom: 12 }}>
          {!isVillage && (
            <Form.Item label="所属村（社区）" name="orgCode" rules={[{ required: true, message: '请选择所属村（社区）' }]}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                loading={villages.isPending}
                placeholder="请选择"
                options={(villages.data ?? []).filter((c) => c.level === 'village').map((c) => ({ value: c.code, label: c.name }))}
                onChange={() => form.setFieldValue('gridCode', undefined)}
              />
            </Form.Item>
          )}
          {(grids.data?.length ?? 0) > 0 && (
            <Form.Item label="网格（选填）" name="gridCode">
              <Select allowClear placeholder="请选择" options={grids.data!.map((g) => ({ value: g.code, label: g.name }))} />
            </Form.Item>
          )}
          <Form.Item label="住址" name="address" rules={[{ required: true, whitespace: true, message: '请填写住址' }, { max: 120, message: '住址最多120个字' }]}>
            <Input maxLength={120} placeholder="如：克井镇枣庙村三组12号" />
          </Form.Item>
          <Form.Item label="标签（可多选）" name="tags" extra="属于困难群体、特殊群体的请勾选，便于重点走访。">
            <TagCheckboxes />
          </Form.Item>
        </Card>
        <Form.List name="residents">
          {(fields, { add, remove }) => (
            <section aria-label="家庭成员">
              <SectionTitle>家庭成员</SectionTitle>
              {fields.map((field, i) => (
                <Card
                  key={field.key}
                  size="small"
                  role="group"
                  aria-label={`第${i + 1}位成员`}
                  title={`第${i + 1}位成员${i === 0 ? '（户主）' : ''}`}
                  extra={fields.length > 1 ? <Button danger type="text" onClick={() => remove(field.name)} aria-label={`删除第${i + 1}位成员`}>删除</Button> : null}
                  style={{ marginBottom: 12 }}
                >
                  <ResidentFields name={[field.name]} full={['residents', field.name]} />
                </Card>
              ))}
              <Button block onClick={() => add({ relation: fields.length === 0 ? '户主' : undefined, awayScope: '' })} style={{ marginBottom: 16 }} disabled={fields.length >= 30}>
                + 添加一位家庭成员
              </Button>
            </section>
          )}
        </Form.List>
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
                {error.householdId && <Link to={`/households/${encodeURIComponent(error.householdId)}`} className="lx-tap">查看已登记的住户</Link>}
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
