import type { Resident } from '@lianxin/contracts';
import { AuditedRevealModal } from '../../app/audited-reveal-modal.tsx';
import { revealResident } from './household-queries.ts';

export interface RevealTarget {
  resident: Pick<Resident, 'id' | 'name'>;
  field: 'idNumber' | 'phone';
}

const fieldNames = { idNumber: '身份证号', phone: '联系电话' } as const;

/** A resident's full ID number or phone, through the audited reveal. */
export function RevealModal({ target, onClose }: { target: RevealTarget | null; onClose: () => void }) {
  const request = target && {
    subject: target.resident.name,
    fieldName: fieldNames[target.field],
    placeholder: target.field === 'phone' ? '如：走访前电话联系' : '如：核对低保申请材料',
    reveal: async (reason: string) => (await revealResident(target.resident.id, { field: target.field, reason })).value,
    callable: target.field === 'phone',
  };
  return <AuditedRevealModal request={request} onClose={onClose} />;
}
