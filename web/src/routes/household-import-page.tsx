import { useMutation, useQuery } from '@tanstack/react-query';
import { Skeleton } from 'antd';
import { useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import type { ImportJob } from '@lianxin/contracts';
import { OrgBreadcrumb } from '../app/org-breadcrumb.tsx';
import { UnavailableResult } from '../app/unavailable-result.tsx';
import { canRegister } from '../features/households/household-abilities.ts';
import { checkFile, householdTemplateUrl, uploadHouseholds } from '../features/imports/import-queries.ts';
import { FileStep, JobProgress, TemplateStep } from '../features/imports/import-steps.tsx';
import { orgQuery } from '../features/orgs/org-queries.ts';
import { PageTitle } from '../app/page-title.tsx';

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
  const templateUrl = householdTemplateUrl(o.code);

  return (
    <article aria-labelledby="import-title" style={{ maxWidth: 720 }}>
      <OrgBreadcrumb org={o} trail={[{ label: '户籍', to: listPath }, { label: 'Excel 导入' }]} />
      <PageTitle id="import-title" style={{ margin: '8px 0 12px' }}>Excel 导入住户</PageTitle>

      {jobId ? (
        <JobProgress id={jobId} onAgain={again} result={{ listPath, listLabel: '返回户籍列表', doneMessage, templateUrl }} />
      ) : (
        <>
          <TemplateStep templateUrl={templateUrl} templateName="住户及居民导入模板.xlsx">
            在模板的“住户”表每户填一行，“居民”表每人填一行，两表用“户编号”对应。模板第 2 行是灰色的填写示例（导入时跳过），
            性别、与户主关系、标签等列可从下拉列表选择；填写要求见模板里的“说明”表。
          </TemplateStep>
          <FileStep upload={upload} fileError={fileError} onChoose={choose} />
        </>
      )}
    </article>
  );
}

function doneMessage(job: ImportJob): string {
  const { rows, households, residents } = job.counts;
  if (rows === 0) return '文件中没有数据行，未写入任何数据';
  return `已导入 ${households.toLocaleString('zh-CN')} 户 ${residents.toLocaleString('zh-CN')} 人`;
}
