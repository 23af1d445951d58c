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

export interface ResultLinks {
  listPath: string;
  listLabel: string;
  doneMessage: (job: ImportJob) => string;
  /** The template of this import, offered again when a file could not be read at all. */
  templateUrl: string;
}

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
  const finished = isFinished(job);
  const percent = job.status === 'done' || job.status === 'merging' ? 100 : rows ? Math.min(100, Math.floor((validated / rows) * 100)) : 0;
  return (
    <>
      <Card role="region" aria-labelledby="step-progress" style={{ marginBottom: 12 }}>
        <h2 id="step-progress" style={stepTitle}>第 3 步　校验和写入</h2>
        <Typography.Paragraph style={{ ...stepPara, marginBottom: 4 }}>文件：{job.fileName}</Typography.Paragraph>
        <p style={{ fontSize: 17, fontWeight: 600, margin: '8px 0' }} aria-live="polite" data-testid="import-status">
          {statusText[job.status]}
        </p>
        {/* A failed job has no progress to show: a half-filled red bar read as "still going" or "half written". */}
        {job.status !== 'failed' && (
          <Progress
            percent={percent}
            status={job.status === 'done' ? 'success' : 'active'}
            aria-label="校验进度"
            showInfo={false}
          />
        )}
        {!job.failure && (
          <Typography.Paragraph style={{ ...stepPara, marginTop: 4 }} data-testid="import-counts">
            {job.status === 'failed'
              ? `共 ${rows.toLocaleString('zh-CN')} 行数据，发现 ${errors.toLocaleString('zh-CN')} 处错误`
              : `已校验 ${validated.toLocaleString('zh-CN')} / ${rows.toLocaleString('zh-CN')} 行${errors > 0 ? `，发现 ${errors.toLocaleString('zh-CN')} 处错误` : ''}`}
          </Typography.Paragraph>
        )}
        {!finished && (
          <Typography.Paragraph type="secondary" style={{ fontSize: 14, margin: 0 }}>
            大文件可能需要几分钟。可以离开本页，稍后用浏览器的“返回”或刷新回来查看进度。
          </Typography.Paragraph>
        )}
      </Card>

      {job.status === 'failed' && job.failure && (
        <Card role="region" aria-labelledby="step-result" style={{ marginBottom: 12 }} data-testid="import-result">
          <h2 id="step-result" style={stepTitle}>第 4 步　换一个文件重新上传</h2>
          <Alert
            type="error"
            showIcon
            title="文件未能导入，没有写入任何数据"
            description={<span data-testid="import-failure">{job.failure}</span>}
            style={{ marginBottom: 12 }}
          />
          <Typography.Paragraph style={stepPara}>怎么办：</Typography.Paragraph>
          <ol style={{ ...stepPara, paddingLeft: 24 }}>
            <li>点“下载模板”，把数据复制到模板的对应工作表中（不要修改表头和工作表名称）；</li>
            <li>用 Excel 或 WPS 另存为 .xlsx 文件；</li>
            <li>点“重新上传”选择这个文件。仍然不行请联系管理员。</li>
          </ol>
          <div style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
            <Button href={result.templateUrl} download block>下载模板</Button>
            <Button type="primary" block onClick={onAgain}>重新上传</Button>
          </div>
        </Card>
      )}

      {job.status === 'failed' && !job.failure && (
        <Card role="region" aria-labelledby="step-result" style={{ marginBottom: 12 }} data-testid="import-result">
          <h2 id="step-result" style={stepTitle}>第 4 步　修改后重新上传</h2>
          <Alert
            type="error"
            showIcon
            title={`共 ${errors.toLocaleString('zh-CN')} 处错误，未写入任何数据`}
            description="按下表的行号和原因在原文件中改正，然后重新上传整个文件。"
            style={{ marginBottom: 12 }}
          />
          <ErrorTable job={job} />
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

const cell = { padding: '6px 8px', borderBottom: '1px solid #e5e5e5', textAlign: 'left', verticalAlign: 'top', overflowWrap: 'anywhere' } as const;

/** The first errors (the server sends up to 50), where Excel shows them: sheet and row, column, what was typed, why. */
function ErrorTable({ job }: { job: ImportJob }) {
  const more = job.counts.errors - job.errors.length;
  return (
    <div style={{ marginBottom: 12 }}>
      <table style={{ width: '100%', tableLayout: 'fixed', borderCollapse: 'collapse', fontSize: 14 }} data-testid="import-errors">
        <caption style={{ textAlign: 'left', fontSize: 15, fontWeight: 600, marginBottom: 4, captionSide: 'top' }}>
          {more > 0 ? `前 ${job.errors.length} 处错误（其余 ${more.toLocaleString('zh-CN')} 处见错误清单）` : `共 ${job.errors.length} 处错误`}
        </caption>
        <colgroup>
          <col style={{ width: '22%' }} />
          <col style={{ width: '20%' }} />
          <col style={{ width: '22%' }} />
          <col />
        </colgroup>
        <thead>
          <tr>
            <th scope="col" style={cell}>位置</th>
            <th scope="col" style={cell}>列</th>
            <th scope="col" style={cell}>填写的内容</th>
            <th scope="col" style={cell}>原因</th>
          </tr>
        </thead>
        <tbody>
          {job.errors.map((e, i) => (
            <tr key={i}>
              <td style={cell}>{e.sheet ? `${e.sheet} ` : ''}{e.row > 0 ? `第 ${e.row} 行` : e.sheet ? '整表' : '文件'}</td>
              <td style={cell}>{e.column || '—'}</td>
              <td style={cell}>{e.value || '—'}</td>
              <td style={cell}>{e.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
