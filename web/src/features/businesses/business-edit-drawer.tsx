import { useState } from 'react';
import { Alert, Button, Drawer, Form, Grid } from 'antd';
import { Link } from 'react-router';
import type { Business } from '@lianxin/contracts';
import { describeSaveError, type SaveError } from './business-errors.ts';
import { BusinessFields, businessBody, useGrids, type BusinessFormValues } from './business-fields.tsx';
import { kindLabels } from './business-labels.ts';
import { updateBusiness } from './business-queries.ts';

/** 编辑企业（商户、班组）: everything but the kind and the village. */
export function BusinessEditDrawer({ business, open, onClose }: { business: Business; open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<BusinessFormValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<SaveError | null>(null);
  const wide = Grid.useBreakpoint().md === true;
  const grids = useGrids(business.orgCode, open);
  const title = `编辑${kindLabels[business.kind]}信息`;

  async function onFinish(v: BusinessFormValues) {
    setBusy(true);
    setError(null);
    try {
      await updateBusiness(business.id, businessBody(business.kind, v, (grids.data?.length ?? 0) > 0, true));
      onClose();
    } catch (e) {
      const err = describeSaveError(e);
      form.setFields(err.fields.map((f) => ({ name: f.name as never, errors: f.errors })));
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Drawer open={open} onClose={onClose} title={title} placement={wide ? 'right' : 'bottom'} size={wide ? 520 : '90%'} destroyOnHidden>
      <Form<BusinessFormValues>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        disabled={busy}
        scrollToFirstError
        initialValues={{
          gridCode: business.gridCode ?? undefined, parentId: business.parentId ?? undefined, name: business.name, address: business.address,
          creditCode: business.creditCode ?? undefined, contactName: business.contactName ?? undefined, employees: business.employees == null ? undefined : String(business.employees),
        }}
      >
        <BusinessFields kind={business.kind} village={business.orgCode} grids={grids.data ?? []} maskedPhone={business.contactPhoneMasked} />
        {error && (
          <section aria-label="保存失败原因">
            <Alert
              role="alert"
              type="error"
              showIcon
              title={error.title}
              description={
                <>
                  {error.lines.map((l) => <div key={l}>{l}</div>)}
                  {error.existingId && <Link to={`/businesses/${encodeURIComponent(error.existingId)}`} className="lx-tap" onClick={onClose}>查看已登记的企业（商户）</Link>}
                </>
              }
              style={{ marginBottom: 12 }}
            />
          </section>
        )}
        <div style={{ display: 'flex', gap: 8 }}>
          <Button type="primary" htmlType="submit" loading={busy} style={{ flex: 1 }}>保存</Button>
          <Button onClick={onClose}>取消</Button>
        </div>
      </Form>
    </Drawer>
  );
}
