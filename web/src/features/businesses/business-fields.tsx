import { useQuery } from '@tanstack/react-query';
import { Form, Input, Select } from 'antd';
import type { BusinessKind } from '@lianxin/contracts';
import { fetchAllChildren } from '../orgs/org-queries.ts';
import { CREDIT_CODE, PHONE } from './business-labels.ts';
import { enterprisesQuery } from './business-queries.ts';

export interface BusinessFormValues {
  gridCode?: string | null;
  parentId?: string | null;
  name: string;
  address: string;
  creditCode?: string;
  contactName?: string;
  contactPhone?: string;
  /** Digits as typed (a plain input: antd's InputNumber steppers are under the 44 px tap target). */
  employees?: string;
}

/** Empty optional text → null (clears it on update); trimmed text otherwise. */
const opt = (v: string | undefined) => (v?.trim() ? v.trim() : null);

/** On an edit the phone field starts empty (only the masked value is known): empty means "keep", not "clear". */
export function businessBody(kind: BusinessKind, v: BusinessFormValues, hasGrids: boolean, editing = false) {
  return {
    ...(hasGrids ? { gridCode: v.gridCode || null } : {}),
    ...(kind === 'team' ? { parentId: v.parentId ?? null } : {}),
    name: v.name.trim(),
    address: v.address.trim(),
    ...(kind === 'team' ? {} : { creditCode: v.creditCode?.trim() ? v.creditCode.trim().toUpperCase() : null }),
    contactName: opt(v.contactName),
    ...(editing && !v.contactPhone?.trim() ? {} : { contactPhone: opt(v.contactPhone) }),
    employees: v.employees?.trim() ? Number(v.employees.trim()) : null,
  };
}

/** The village's grids (none in most villages: the field is then hidden). */
export function useGrids(village: string | undefined, enabled = true) {
  return useQuery({
    queryKey: ['org-all-children', village],
    queryFn: () => fetchAllChildren(village!),
    enabled: Boolean(village) && enabled,
    staleTime: 60_000,
    select: (rows) => rows.filter((r) => r.level === 'grid'),
  });
}

/** The fields of an enterprise, shop or team (kind and village are chosen before, and fixed once registered). */
export function BusinessFields({ kind, village, grids, maskedPhone }: {
  kind: BusinessKind;
  village: string | undefined;
  grids: { code: string; name: string }[];
  /** On an edit: the registered phone, masked; leaving the field empty keeps it. */
  maskedPhone?: string | null;
}) {
  const enterprises = useQuery({ ...enterprisesQuery(village ?? ''), enabled: kind === 'team' && Boolean(village) });
  const nameLabel = kind === 'enterprise' ? '企业名称' : kind === 'shop' ? '商户名称（店名）' : '班组名称';
  return (
    <>
      {kind === 'team' && (
        <Form.Item label="所属企业" name="parentId" rules={[{ required: true, message: '请选择班组所属的企业' }]} extra="班组须属于本村（社区）登记的一家企业。">
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            loading={enterprises.isPending && Boolean(village)}
            placeholder={village ? '请选择' : '请先选择村（社区）'}
            notFoundContent={enterprises.isSuccess ? '本村（社区）还没有登记企业' : undefined}
            options={(enterprises.data ?? []).map((e) => ({ value: e.id, label: e.name }))}
          />
        </Form.Item>
      )}
      {grids.length > 0 && (
        <Form.Item label="网格（选填）" name="gridCode">
          <Select allowClear placeholder="请选择" options={grids.map((g) => ({ value: g.code, label: g.name }))} />
        </Form.Item>
      )}
      <Form.Item label={nameLabel} name="name" rules={[{ required: true, whitespace: true, message: '请填写名称' }, { max: 80, message: '名称最多80个字' }]}>
        <Input maxLength={80} placeholder={kind === 'shop' ? '如：老王超市' : kind === 'team' ? '如：一车间甲班' : '如：济源市某某机械有限公司'} />
      </Form.Item>
      <Form.Item label="地址" name="address" rules={[{ required: true, whitespace: true, message: '请填写地址' }, { max: 120, message: '地址最多120个字' }]}>
        <Input maxLength={120} placeholder="如：克井镇枣庙村三组12号" />
      </Form.Item>
      {kind !== 'team' && (
        <Form.Item
          label="统一社会信用代码（选填）"
          name="creditCode"
          extra="营业执照上的18位代码；保存时核对校验位。"
          normalize={(v: string | undefined) => v?.toUpperCase().replace(/\s+/g, '')}
          rules={[{ pattern: CREDIT_CODE, message: '应为18位数字或大写字母（不含 I、O、Z、S、V）' }]}
        >
          <Input maxLength={18} autoComplete="off" spellCheck={false} style={{ fontVariantNumeric: 'tabular-nums' }} />
        </Form.Item>
      )}
      <Form.Item label="联系人（选填）" name="contactName" rules={[{ max: 40, message: '最多40个字' }]}>
        <Input maxLength={40} />
      </Form.Item>
      <Form.Item
        label="联系电话（选填）"
        name="contactPhone"
        extra={maskedPhone ? `已登记 ${maskedPhone}；不修改请留空。` : undefined}
        rules={[{ pattern: PHONE, message: '请填写11位手机号或带区号的固定电话' }]}>
        <Input maxLength={13} inputMode="tel" autoComplete="off" />
      </Form.Item>
      <Form.Item label="从业人数（选填）" name="employees" rules={[{ pattern: /^\s*\d{1,7}\s*$/, message: '请填写人数（整数）' }]}>
        <Input maxLength={7} inputMode="numeric" autoComplete="off" />
      </Form.Item>
    </>
  );
}
