import { useQuery } from '@tanstack/react-query';
import { Card, Skeleton, Typography } from 'antd';
import { SectionTitle } from '../../app/page-title.tsx';
import { ContactGroupEditor } from './contact-group-editor.tsx';
import { contactGroupQuery } from './notifications-queries.ts';

/** 我的一群 on 我的账户: the member records the WeChat group they keep with their households and its join QR. */
export function MyContactGroup() {
  const q = useQuery({ ...contactGroupQuery('self'), retry: false });
  // An account that is no member's (404) or not yet allowed elsewhere (403 while securing the account): no section.
  if (q.isError) return null;
  const g = q.data?.data;
  return (
    <section aria-labelledby="group-title" style={{ marginBottom: 24 }}>
      <SectionTitle id="group-title">我的一群</SectionTitle>
      <Typography.Paragraph type="secondary" style={{ fontSize: 15 }}>
        登记您和联系户建的微信群：群名称和入群二维码会显示在住户页面上，并印在联系卡上，群众扫码就能入群。
      </Typography.Paragraph>
      <Card size="small">
        {q.isPending ? <Skeleton active /> : (
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 24, alignItems: 'flex-start' }}>
            <div style={{ flex: '1 1 260px', maxWidth: 420 }}>
              <ContactGroupEditor key={q.data.data?.updatedAt ?? 'new'} item={q.data} />
            </div>
            {g?.qrUrl && <img src={g.qrUrl} alt="我的一群入群二维码" width={180} height={180} style={{ objectFit: 'contain', border: '1px solid #f0f0f0' }} />}
          </div>
        )}
      </Card>
    </section>
  );
}
