import { useQuery } from '@tanstack/react-query';
import { Button, Card, Result, Skeleton, Typography } from 'antd';
import { useParams } from 'react-router';
import { publicCardQuery } from '../features/print/print-queries.ts';
import { PageTitle, SectionTitle } from '../app/page-title.tsx';

/**
 * What a 联系卡's QR opens on a resident's phone, without an account: the constituent's current 联户党员 with a
 * call button. A reprinted (revoked) card says so and points to the village branch instead.
 */
/** The branch's published number as a call button: what a resident dials when the card is void or no one is assigned. */
function BranchCall({ phone, branch }: { phone: string; branch: string }) {
  return (
    <Button size="large" block href={`tel:${phone.replace(/[^\d+]/g, '')}`} aria-label={`拨打${branch}电话 ${phone}`}>
      拨打{branch}电话 {phone}
    </Button>
  );
}

export function PublicCardPage() {
  const { token = '' } = useParams();
  const card = useQuery(publicCardQuery(token));
  const branch = card.data ? card.data.branch ?? `${card.data.village}党支部` : '';

  return (
    <main style={{ maxWidth: 480, margin: '0 auto', padding: 16 }} aria-labelledby="card-title">
      <div style={{ background: '#a8071a', color: '#fff', borderRadius: 8, padding: '12px 16px', marginBottom: 12 }}>
        <PageTitle id="card-title" style={{ color: '#fff', margin: 0 }}>党群连心卡</PageTitle>
        <div>济源示范区党群连心工程</div>
      </div>
      {card.isPending ? (
        <Skeleton active />
      ) : card.isError ? (
        <Result status="warning" title="联系卡无效" subTitle="二维码无法识别。请核对卡片，或联系所在村（社区）党支部。" />
      ) : card.data.status === 'revoked' ? (
        <Result
          status="info"
          title="此联系卡已作废"
          subTitle={`该卡已重新打印，请使用新卡。也可联系${branch}${card.data.branchPhone ? `：${card.data.branchPhone}` : '。'}`}
          extra={card.data.branchPhone ? <BranchCall phone={card.data.branchPhone} branch={branch} /> : undefined}
        />
      ) : (
        <Card>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>{[card.data.town, card.data.village].filter(Boolean).join(' ')}</Typography.Paragraph>
          {card.data.member ? (
            <>
              <Typography.Paragraph style={{ fontSize: 16, marginBottom: 4 }}>您的{card.data.member.title}</Typography.Paragraph>
              <SectionTitle style={{ marginTop: 0, fontSize: 30 }}>{card.data.member.name}</SectionTitle>
              {card.data.member.workPhone ? (
                <Button type="primary" size="large" block href={`tel:${card.data.member.workPhone.replace(/[^\d+]/g, '')}`}>
                  拨打 {card.data.member.workPhone}
                </Button>
              ) : (
                <Typography.Paragraph>暂未登记工作电话，请联系村（社区）党支部。</Typography.Paragraph>
              )}
            </>
          ) : (
            <Typography.Paragraph style={{ fontSize: 16 }}>暂未安排联户党员，请联系村（社区）党支部。</Typography.Paragraph>
          )}
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: card.data.branchPhone ? 8 : 0 }}>
            所在党组织：{branch}
            {card.data.branchPhone && <><br />党组织电话：{card.data.branchPhone}</>}
            <br />发卡日期：{card.data.issuedOn}
          </Typography.Paragraph>
          {card.data.branchPhone && <BranchCall phone={card.data.branchPhone} branch={branch} />}
        </Card>
      )}
      <Typography.Paragraph type="secondary" style={{ marginTop: 16, fontSize: 14 }}>
        有困难、有诉求，请直接联系您的{card.isSuccess && card.data.member ? card.data.member.title : '联户党员'}。事项办理情况查询将随“诉求办理”功能开放。
      </Typography.Paragraph>
    </main>
  );
}
