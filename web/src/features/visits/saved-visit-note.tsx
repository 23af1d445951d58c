import { Alert } from 'antd';
import { useLocation } from 'react-router';

/** What the visit form hands the page it returns to (router state), so that page can say the visit was kept. */
export interface SavedVisit {
  name: string;
  /** Kept on the phone, to be sent when the network returns (the offline queue). */
  queued: boolean;
}

/** "已保存" on the page the member came back to (the form closes on save; a toast would vanish with it). */
export function SavedVisitNote() {
  const saved = (useLocation().state as { visitSaved?: SavedVisit } | null)?.visitSaved;
  if (!saved) return null;
  return (
    <Alert
      type="success"
      showIcon
      role="status"
      style={{ marginBottom: 12 }}
      title={saved.queued ? `${saved.name}的走访已存在手机上，联网后自动上传` : `${saved.name}的走访已保存`}
    />
  );
}
