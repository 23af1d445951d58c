import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Breadcrumb, Button, Card, Progress, Skeleton, Typography, Upload } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import type { ImportJob, ImportStatus } from '@lianxin/contracts';
import { isApiError } from '../api/api-client.ts';
import { UnavailableResult } from '../app/unavailable-result.tsx';
import { canRegister } from '../features/households/household-abilities.ts';
import {
  checkFile, errorsUrl, importJobQuery, invalidateAfterImport, isFinished, TEMPLATE_URL, uploadHouseholds,
} from '../features/imports/import-queries.ts';
import { orgQuery } from '../features/orgs/org-queries.ts';

const statusText: Record<ImportStatus, string> = {
  queued: '排队中',
  validating: '正在校验',
  merging: '正在写入',
  done: '导入成功',
  failed: '导入失败',
};

const stepTitle = { margin: '0 0 8px', fontSize: 17 } as const;
const para = { fontSize: 15, marginBottom: 12 } as const;

export function HouseholdImportPage() {
  const { code = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const jobId = params.get('job') ?? '';
  const org = useQuery(orgQuery(code));
  const [fileError, setFileError] = useState<string | null>(null);

  const upload = useMutation({
    mutationFn: (file: File) => uploadHouseholds(file),
    onSuccess: (job) => setParams({ job: job.id }),
  });

  function choose(file: File) {
    upload.reset();
    const problem = checkFile(file);
    setFileError(problem);
    if (!problem) upload.mutate(file);
  }

  function again() {
    upload.reset();
    setFileError(null);
    setParams({});
  }

  if (org.isPending) return <Skeleton active />;
  if (org.isError || !canRegister(org.data)) {
    return <UnavailableResult error={org.isError ? org.error : null} title="未找到或无权操作" text="该组织不存在，或您无权为其导入住户。" />;
  }

  const o = org.data;
  const listPath = `/orgs/${encodeURIComponent(o.code)}/households`;

  return (
    <article aria-labelledby="import-title" style={{ maxWidth: 720 }}>
      <nav aria-label="位置">
        <Breadcrumb
          className="lx-breadcrumb"
          items={[
            ...o.ancestors.map((a) => ({ key: a.code, title: <Link to={`/orgs/${encodeURIComponent(a.code)}`}>{a.name}</Link> })),
            { key: o.code, title: <Link to={`/orgs/${encodeURIComponent(o.code)}`}>{o.shortName || o.name}</Link> },
            { key: 'households', title: <Link to={listPath}>户籍</Link> },
            { key: 'import', title: <span aria-current="page">Excel 导入</span> },
          ]}
        />
      </nav>
      <Typography.Title level={3} id="import-title" style={{ margin: '8px 0 12px' }}>Excel 导入住户</Typography.Title>

      {jobId ? (
        <JobProgress id={jobId} listPath={listPath} onAgain={again} />
      ) : (
        <>
          <Card role="region" aria-labelledby="step-template" style={{ marginBottom: 12 }}>
            <h2 id="step-template" style={stepTitle}>第 1 步　下载模板</h2>
            <Typography.Paragraph style={para}>
              在模板的“住户”表每户填一行，“居民”表每人填一行，两表用“户编号”对应。填写要求见模板里的“说明”表。
            </Typography.Paragraph>
            <Typography.Paragraph style={para} data-testid="import-limits">
              限制：每个工作表不超过 300,000 行、文件不超过 100 MB。
            </Typography.Paragraph>
            <Button href={TEMPLATE_URL} download="住户及居民导入模板.xlsx" block>下载模板</Button>
          </Card>

          <Card role="region" aria-labelledby="step-file" style={{ marginBottom: 12 }}>
            <h2 id="step-file" style={stepTitle}>第 2 步　选择填好的文件</h2>
            <Typography.Paragraph style={para}>
              选择后立即上传并开始校验。全部校验无误才会写入；有任何错误则不写入任何数据。
            </Typography.Paragraph>
            <Upload
              accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              maxCount={1}
              showUploadList={false}
              disabled={upload.isPending}
              beforeUpload={(file) => {
                choose(file);
                return false;
              }}
              className="lx-upload-block"
            >
              <Button type="primary" block loading={upload.isPending}>
                {upload.isPending ? '正在上传…' : '选择 Excel 文件并上传'}
              </Button>
            </Upload>
            {(fileError || upload.isError) && (
              <Alert
                role="alert"
                type="error"
                showIcon
                style={{ marginTop: 12 }}
                title="无法上传"
                description={fileError ?? upload.error?.message}
                data-testid="upload-error"
              />
            )}
          </Card>
        </>
      )}
    </article>
  );
}

function JobProgress({ id, listPath, onAgain }: { id: string; listPath: string; onAgain: () => void }) {
  const job = useQuery(importJobQuery(id));
  const finished = isFinished(job.data);
  useEffect(() => {
    if (finished) invalidateAfterImport();
  }, [finished]);

  if (job.isPending) return <Skeleton active />;
  if (job.isError) {
    return (
      <Card role="region">
        <Alert
          type="error"
          showIcon
          title={isApiError(job.error, 'not_found') || isApiError(job.error, 'validation_error') ? '未找到该导入任务' : '无法获取导入进度'}
          description={job.error.message}
          style={{ marginBottom: 12 }}
        />
        <Button type="primary" block onClick={onAgain}>重新上传</Button>
      </Card>
    );
  }
  return <JobCard job={job.data} listPath={listPath} onAgain={onAgain} />;
}

function JobCard({ job, listPath, onAgain }: { job: ImportJob; listPath: string; onAgain: () => void }) {
  const { rows, validated, errors } = job.counts;
  const percent = job.status === 'done' || job.status === 'merging' ? 100 : rows ? Math.min(100, Math.floor((validated / rows) * 100)) : 0;
  return (
    <>
      <Card role="region" aria-labelledby="step-progress" style={{ marginBottom: 12 }}>
        <h2 id="step-progress" style={stepTitle}>第 3 步　校验和写入</h2>
        <Typography.Paragraph style={{ ...para, marginBottom: 4 }}>文件：{job.fileName}</Typography.Paragraph>
        <p style={{ fontSize: 17, fontWeight: 600, margin: '8px 0' }} aria-live="polite" data-testid="import-status">
          {statusText[job.status]}
        </p>
        <Progress
          percent={percent}
          status={job.status === 'failed' ? 'exception' : job.status === 'done' ? 'success' : 'active'}
          aria-label="校验进度"
          showInfo={false}
        />
        <Typography.Paragraph style={{ ...para, marginTop: 4 }} data-testid="import-counts">
          已校验 {validated.toLocaleString('zh-CN')} / {rows.toLocaleString('zh-CN')} 行
          {errors > 0 && `，发现 ${errors.toLocaleString('zh-CN')} 处错误`}
        </Typography.Paragraph>
        {!isFinished(job) && (
          <Typography.Paragraph type="secondary" style={{ fontSize: 14, margin: 0 }}>
            大文件可能需要几分钟。可以离开本页，稍后用浏览器的“返回”或刷新回来查看进度。
          </Typography.Paragraph>
        )}
      </Card>

      {job.status === 'failed' && (
        <Card role="region" aria-labelledby="step-result" style={{ marginBottom: 12 }} data-testid="import-result">
          <h2 id="step-result" style={stepTitle}>第 4 步　修改后重新上传</h2>
          <Alert
            type="error"
            showIcon
            title={`共 ${errors.toLocaleString('zh-CN')} 处错误，未写入任何数据`}
            description="下载错误清单，按其中的行号和原因在原文件中改正，然后重新上传整个文件。"
            style={{ marginBottom: 12 }}
          />
          <div style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
            <Button href={errorsUrl(job.id)} download block>下载错误清单</Button>
            <Button type="primary" block onClick={onAgain}>重新上传</Button>
          </div>
        </Card>
      )}

      {job.status === 'done' && (
        <Card role="region" aria-labelledby="step-result" style={{ marginBottom: 12 }} data-testid="import-result">
          <h2 id="step-result" style={stepTitle}>第 4 步　完成</h2>
          <Alert
            type="success"
            showIcon
            title={doneMessage(job)}
            style={{ marginBottom: 12 }}
          />
          <div style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
            <Link to={listPath} className="lx-tap" style={{ justifyContent: 'center', fontSize: 16 }}>返回户籍列表</Link>
            <Button block onClick={onAgain}>继续导入</Button>
          </div>
        </Card>
      )}
    </>
  );
}

function doneMessage(job: ImportJob): string {
  const { rows, households, residents } = job.counts;
  if (rows === 0) return '文件中没有数据行，未写入任何数据';
  return `已导入 ${households.toLocaleString('zh-CN')} 户 ${residents.toLocaleString('zh-CN')} 人`;
}
