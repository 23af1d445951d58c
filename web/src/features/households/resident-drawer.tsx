import { useState } from 'react';
import { Alert, Button, Drawer, Form, Grid } from 'antd';
import type { Resident, ResidentInput, ResidentUpdate } from '@lianxin/contracts';
import { fieldIssues, idConflicts } from './api-errors.ts';
import { addResident, updateResident } from './household-queries.ts';
import { ResidentFields, residentBody, type ResidentFormValues } from './resident-fields.tsx';

/** 添加成员 (resident null) or 编辑成员. Editing leaves the ID number and phone alone unless a new one is typed. */
export function ResidentDrawer({ householdId, resident, open, onClose }: { householdId: string; resident: Resident | null; open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<ResidentFormValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const wide = Grid.useBreakpoint().md === true;
  const editing = resident !== null;

  async function onFinish(v: ResidentFormValues) {
    setBusy(true);
    setError(null);
    try {
      const body = residentBody(v);
      if (resident) {
        const patch: ResidentUpdate = { name: body.name, relation: body.relation as ResidentUpdate['relation'], sex: body.sex, birthDate: body.birthDate, awayScope: body.awayScope, awayPlace: body.awayPlace };
        if (body.idNumber) patch.idNumber = body.idNumber;
        if (body.phone) patch.phone = body.phone;
        await updateResident(resident.id, patch);
      } else {
        await addResident(householdId, body as ResidentInput);
      }
      onClose();
    } catch (e) {
      const issues = fieldIssues(e);
      form.setFields(issues.filter((i) => i.path.length > 0).map((i) => ({ name: i.path as never, errors: [i.message] })));
      const conflicts = idConflicts(e);
      if (conflicts) {
        form.setFields([{ name: 'idNumber', errors: ['该身份证号已经登记过，不能重复登记'] }]);
        setError(`身份证号 ${conflicts[0]?.idNumberMasked ?? ''} 已经登记过，不能重复登记`);
      } else setError(e instanceof Error ? e.message : '保存失败');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Drawer open={open} onClose={onClose} title={editing ? `编辑成员：${resident.name}` : '添加家庭成员'} placement={wide ? 'right' : 'bottom'} size={wide ? 560 : '92%'} destroyOnHidden>
      <Form<ResidentFormValues>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        disabled={busy}
        scrollToFirstError
        initialValues={
          resident
            ? { name: resident.name, relation: resident.relation, sex: resident.sex, birthDate: resident.birthDate, awayScope: resident.awayScope ?? '', awayPlace: resident.awayPlace ?? undefined }
            : { awayScope: '' }
        }
      >
        {editing && (
          <Alert type="info" showIcon title={`现登记的身份证号 ${resident.idNumberMasked}${resident.phoneMasked ? `，电话 ${resident.phoneMasked}` : ''}`} style={{ marginBottom: 12 }} />
        )}
        <ResidentFields name={[]} full={[]} editing={editing} />
        {error && <Alert role="alert" type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <div style={{ display: 'flex', gap: 8 }}>
          <Button type="primary" htmlType="submit" loading={busy} style={{ flex: 1 }}>保存</Button>
          <Button onClick={onClose}>取消</Button>
        </div>
      </Form>
    </Drawer>
  );
}
