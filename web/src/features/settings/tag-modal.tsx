import { Alert, Button, Form, Input, Modal, Select } from 'antd';
import type { TagAdmin } from '@lianxin/contracts';
import { useSubmit } from '../../app/use-submit.ts';
import { createTag, updateTag } from './settings-queries.ts';

interface Values { code: string; name: string; aliases: string[] }

/**
 * 新增标签 (tag null) or 修改 one: the code is what households store, fixed once created; the name is what lists
 * show; aliases are other words accepted when registering or importing (低保户 for 低保).
 */
export function TagModal({ open, tag, onClose }: { open: boolean; tag: TagAdmin | null; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const { busy, error, run } = useSubmit('保存失败');
  const onFinish = (v: Values) => run(async () => {
    const aliases = (v.aliases ?? []).map((a) => a.trim()).filter(Boolean);
    if (tag) await updateTag(tag.code, { name: v.name.trim(), aliases });
    else await createTag({ code: v.code.trim(), name: v.name.trim(), aliases, vulnerable: true });
    onClose();
  });
  const word = [{ required: true, whitespace: true, message: '请填写' }, { max: 20, message: '最多20个字' }];
  return (
    <Modal open={open} title={tag ? `修改标签：${tag.name}` : '新增标签'} onCancel={onClose} footer={null} destroyOnHidden>
      <Form<Values> form={form} layout="vertical" disabled={busy} onFinish={onFinish}
        initialValues={tag ? { code: tag.code, name: tag.name, aliases: tag.aliases } : { aliases: [] }}>
        <Form.Item label="标签代码（住户记录中保存的词，创建后不能修改）" name="code" rules={tag ? [] : word}>
          <Input maxLength={20} disabled={!!tag} />
        </Form.Item>
        <Form.Item label="显示名称" name="name" rules={word}>
          <Input maxLength={20} />
        </Form.Item>
        <Form.Item label="别名（登记和导入时也认可的写法，输入后按回车）" name="aliases">
          <Select mode="tags" open={false} tokenSeparators={['、', '，', ',']} suffixIcon={null} />
        </Form.Item>
        {error && <Alert role="alert" type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <div style={{ display: 'flex', gap: 8, justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" htmlType="submit" loading={busy}>保存</Button>
        </div>
      </Form>
    </Modal>
  );
}
