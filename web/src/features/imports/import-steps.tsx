import { useQuery, type UseMutationResult } from '@tanstack/react-query';
import { Alert, Button, Card, Progress, Skeleton, Typography, Upload } from 'antd';
import { useEffect, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { ImportJob, ImportStatus } from '@lianxin/contracts';
import { isApiError } from '../../api/api-client.ts';
import { errorsUrl, importJobQuery, invalidateAfterImport, isFinished } from './import-queries.ts';

/** The steps of an Excel import page (template → file → progress → result), shared by every import kind. */

const statusText: Record<ImportStatus, string> = {
  queued: '排队中',
  validating: '正在校验',
  merging: '正在写入',
  done: '导入成功',
  failed: '导入失败',
};

export const stepTitle = { margin: '0 0 8px', fontSize: 17 } as const;
export const stepPara = { fontSize: 15, marginBottom: 12 } as const;

/** 第 1 步: what to fill in, the limits, the template. */
export function TemplateStep({ children, templateUrl, templateName }: { children: ReactNode; templateUrl: string; templateName: string }) {
  return (
    <Card role="region" aria-labelledby="step-template" style={{ marginBottom: 12 }}>
      <h2 id="step-template" style={stepTitle}>第 1 步　下载模板</h2>
      <Typography.Paragraph style={stepPara}>{children}</Typography.Paragraph>
      <Typography.Paragraph style={stepPara} data-testid="import-limits">
        限制：每个工作表不超过 300,000 行、文件不超过 100 MB。
      </Typography.Paragraph>
      <Button href={templateUrl} download={templateName} block>下载模板</Button>
    </Card>
  );
}

/** 第 2 步: choose a file; it is uploaded at once. */
export function FileStep({ upload, fileError, onChoose }: {
  upload: UseMutationResult<ImportJob, Error, File>;
  fileError: string | null;
  onChoose: (file: File) => void;
}) {
  return (
    <Card role="region" aria-labelledby="step-file" style={{ marginBottom: 12 }}>
      <h2 id="step-file" style={stepTitle}>第 2 步　选择填好的文件</h2>
      <Typography.Paragraph style={stepPara}>
        选择后立即上传并开始校验。全部校验无误才会写入；有任何错误则不写入任何数据。
      </Typography.Paragraph>
      <Upload
        accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        maxCount={1}
        showUploadList={false}
        disabled={upload.isPending}
        beforeUpload={(file) => {
          onChoose(file);
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
  );
}

export interface ResultLinks { listPath: string; listLabel: string; doneMessage: (job: ImportJob) => string }

/** 第 3–4 步: the job's progress (polled; the page keeps ?job= so a reload finds it again) and its result. */
export function JobProgress({ id, onAgain, result }: { id: string; onAgain: () => void; result: ResultLinks }) {
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
  return <JobCard job={job.data} onAgain={onAgain} result={result} />;
}

function JobCard({ job, onAgain, result }: { job: ImportJob; onAgain: () => void; result: ResultLinks }) {
  const { rows, validated, errors } = job.counts;
  const percent = job.status === 'done' || job.status === 'merging' ? 100 : rows ? Math.min(100, Math.floor((validated / rows) * 100)) : 0;
  return (
    <>
      <Card role="region" aria-labelledby="step-progress" style={{ marginBottom: 12 }}>
        <h2 id="step-progress" style={stepTitle}>第 3 步　校验和写入</h2>
        <Typography.Paragraph style={{ ...stepPara, marginBottom: 4 }}>文件：{job.fileName}</Typography.Paragraph>
        <p style={{ fontSize: 17, fontWeight: 600, margin: '8px 0' }} aria-live="polite" data-testid="import-status">
          {statusText[job.status]}
        </p>
        <Progress
          percent={percent}
          status={job.status === 'failed' ? 'exception' : job.status === 'done' ? 'success' : 'active'}
          aria-label="校验进度"
          showInfo={false}
        />
        <Typography.Paragraph style={{ ...stepPara, marginTop: 4 }} data-testid="import-counts">
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
          <Alert type="success" showIcon title={result.doneMessage(job)} style={{ marginBottom: 12 }} />
          <div style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
            <Link to={result.listPath} className="lx-tap" style={{ justifyContent: 'center', fontSize: 16 }}>{result.listLabel}</Link>
            <Button block onClick={onAgain}>继续导入</Button>
          </div>
        </Card>
      )}
    </>
  );
}
