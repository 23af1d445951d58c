import { Alert, Button, Modal, Typography } from 'antd';

/** A one-time password, shown once: after this dialog closes nobody can read it again (only reset it). */
export function OneTimePasswordModal({ value, onClose }: { value: { username: string; password: string } | null; onClose: () => void }) {
  return (
    <Modal open={value !== null} title="一次性密码" onCancel={onClose} footer={<Button type="primary" onClick={onClose}>我已记下</Button>} destroyOnHidden>
      {value && (
        <>
          <Alert type="warning" showIcon title="密码只显示这一次" description="请立即抄下或复制后交给本人。对方首次登录后必须修改密码。" style={{ marginBottom: 12 }} />
          <p style={{ marginBottom: 4 }}>用户名：<Typography.Text strong>{value.username}</Typography.Text></p>
          <p style={{ margin: 0 }}>
            一次性密码：
            <Typography.Text strong code copyable={{ text: value.password, tooltips: ['复制', '已复制'] }} style={{ fontSize: 20 }} data-testid="one-time-password">
              {value.password}
            </Typography.Text>
          </p>
        </>
      )}
    </Modal>
  );
}
