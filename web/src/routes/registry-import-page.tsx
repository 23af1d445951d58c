import { useMutation, useQuery } from '@tanstack/react-query';
import { Skeleton } from 'antd';
import { useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import type { ImportJob } from '@lianxin/contracts';
import { OrgBreadcrumb } from '../app/org-breadcrumb.tsx';
import { UnavailableResult } from '../app/unavailable-result.tsx';
import { canRegister } from '../features/households/household-abilities.ts';
import { checkFile, kindTemplateUrl, uploadKind, type RegistryImportKind } from '../features/imports/import-queries.ts';
import { FileStep, JobProgress, TemplateStep } from '../features/imports/import-steps.tsx';
import { orgQuery } from '../features/orgs/org-queries.ts';
import { PageTitle } from '../app/page-title.tsx';

interface KindPage {
  title: string;
  templateName: string;
  help: string;
  /** Where the result leads: the page the import was started from. */
  list: { path: (code: string) => string; crumb?: string; label: string };
  done: (n: number) => string;
}

const pages: Record<RegistryImportKind, KindPage> = {
  links: {
    title: '批量导入联户关系',
    templateName: '党员联户关系导入模板.xlsx',
    help: '在模板的“联户关系”表每条联户关系填一行：村（社区）代码、户主身份证号或统一社会信用代码、党员姓名（同名时加工作电话）、联系类型；要更换已有的主联系人时填写更换原因（迁居、调动、去世等），原关系结束并保留历史。填写要求见模板里的“说明”表。',
    list: { path: (code) => `/orgs/${encodeURIComponent(code)}/coverage`, crumb: '联户覆盖', label: '返回联户覆盖' },
    done: (n) => `已导入 ${n.toLocaleString('zh-CN')} 条联户关系`,
  },
  businesses: {
    title: 'Excel 导入企业商户',
    templateName: '企业商户导入模板.xlsx',
    help: '在模板的“企业商户”表每家企业、商户或班组填一行；班组用“所属企业信用代码”对应本村（社区）的企业（可在同一文件中）。填写要求见模板里的“说明”表。',
    list: { path: (code) => `/orgs/${encodeURIComponent(code)}/businesses`, crumb: '企业商户', label: '返回企业商户列表' },
    done: (n) => `已导入 ${n.toLocaleString('zh-CN')} 家企业、商户或班组`,
  },
  members: {
    title: 'Excel 导入党员',
    templateName: '党员导入模板.xlsx',
    help: '在模板的“党员”表每人填一行：村（社区）代码、姓名、性别、出生年份、工作电话、入党日期、类别（党员、志愿者、积极分子、非党干部）、流动党员（是/否）。同村同姓名同工作电话的视为同一人，不能重复导入。',
    list: { path: (code) => `/orgs/${encodeURIComponent(code)}`, label: '返回组织页' },
    done: (n) => `已导入 ${n.toLocaleString('zh-CN')} 人`,
  },
};

function isKind(k: string): k is RegistryImportKind {
  return Object.hasOwn(pages, k);
}

/** Excel import of a registry kind (/orgs/:code/import/:kind): template, upload, progress (?job= survives reload), errors. */
export function RegistryImportPage() {
  const { code = '', kind = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const jobId = params.get('job') ?? '';
  const org = useQuery(orgQuery(code));
  const [fileError, setFileError] = useState<string | null>(null);

  const upload = useMutation({
    mutationFn: (file: File) => uploadKind(kind as RegistryImportKind, file),
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

  if (!isKind(kind)) return <UnavailableResult error={null} title="未找到该页面" text="不支持这种导入。" />;
  if (org.isPending) return <Skeleton active />;
  if (org.isError || !canRegister(org.data)) {
    return <UnavailableResult error={org.isError ? org.error : null} title="未找到或无权操作" text="该组织不存在，或您无权为其导入数据。" />;
  }

  const page = pages[kind];
  const o = org.data;
  const listPath = page.list.path(o.code);
  const templateUrl = kindTemplateUrl(kind, o.code);
  const doneMessage = (job: ImportJob) => (job.counts.rows === 0 ? '文件中没有数据行，未写入任何数据' : page.done(job.counts.written));

  return (
    <article aria-labelledby="import-title" style={{ maxWidth: 720 }}>
      <OrgBreadcrumb org={o} trail={[...(page.list.crumb ? [{ label: page.list.crumb, to: listPath }] : []), { label: 'Excel 导入' }]} />
      <PageTitle id="import-title" style={{ margin: '8px 0 12px' }}>{page.title}</PageTitle>

      {jobId ? (
        <JobProgress id={jobId} onAgain={again} result={{ listPath, listLabel: page.list.label, doneMessage, templateUrl }} />
      ) : (
        <>
          <TemplateStep templateUrl={templateUrl} templateName={page.templateName}>{page.help}</TemplateStep>
          <FileStep upload={upload} fileError={fileError} onChoose={choose} />
        </>
      )}
    </article>
  );
}
