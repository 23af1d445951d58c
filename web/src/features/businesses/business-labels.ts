import type { BusinessKind } from '@lianxin/contracts';

export const kindLabels: Record<BusinessKind, string> = { enterprise: '企业', shop: '商户', team: '班组' };
export const kindColors: Record<BusinessKind, string> = { enterprise: 'geekblue', shop: 'gold', team: 'cyan' };
export const kindOptions = (Object.keys(kindLabels) as BusinessKind[]).map((value) => ({ value, label: kindLabels[value] }));

/** Mirrors contracts' phone: an 11-digit mobile or a fixed line with its area code. */
export const PHONE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;
/**
 * GB 32100 alphabet (no I O Z S V), 18 characters. Only the shape is checked here: the check character is the server's
 * to verify, and its answer is shown on the field.
 */
export const CREDIT_CODE = /^[0-9A-HJ-NP-RT-UW-Y]{18}$/;
