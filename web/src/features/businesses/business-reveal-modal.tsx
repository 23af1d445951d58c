import { AuditedRevealModal } from '../../app/audited-reveal-modal.tsx';
import { revealContactPhone } from './business-queries.ts';

/** A business's full contact phone, through the audited reveal (as for residents). */
export function BusinessRevealModal({ target, onClose }: { target: { id: string; name: string } | null; onClose: () => void }) {
  const request = target && {
    subject: target.name,
    fieldName: '联系电话',
    placeholder: '如：安全生产检查需联系负责人',
    reveal: (reason: string) => revealContactPhone(target.id, reason),
    callable: true,
  };
  return <AuditedRevealModal request={request} onClose={onClose} />;
}
