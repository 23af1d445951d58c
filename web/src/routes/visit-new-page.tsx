import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Skeleton, Typography } from 'antd';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import type { RaisedItemInput, VisitChannel } from '@lianxin/contracts';
import { isApiError } from '../api/api-client.ts';
import { PageTitle } from '../app/page-title.tsx';
import { UnavailableResult } from '../app/unavailable-result.tsx';
import { businessQuery } from '../features/businesses/business-queries.ts';
import { householdQuery } from '../features/households/household-queries.ts';
import { ItemsField, itemsProblem } from '../features/visits/items-field.tsx';
import { PhotoField } from '../features/visits/photo-field.tsx';
import { submitVisit } from '../features/visits/submit-visit.ts';
import { ChannelField, fromLocalInput, ResidentsField, TimeField, toLocalInput } from '../features/visits/visit-fields.tsx';
import { itemCategoriesQuery, todayQuery } from '../features/visits/visit-queries.ts';
import { NOTES_MAX, remoteChannels } from '../features/visits/visit-labels.ts';
import type { SavedVisit } from '../features/visits/saved-visit-note.tsx';

/**
 * 记录走访 (`/visits/new?household=|business=[&person=]`): everything has a default — now, 入户, the residents at
 * home — so an ordinary visit is one tap on 保存. `person` = 代录: the secretary records for a member of the branch.
 * The visit's id is made once, when the page opens: every retry of this form sends the same id, so a save whose answer
 * was lost can never be recorded twice.
 */
export function VisitNewPage() {
  const [params] = useSearchParams();
  const householdId = params.get('household') ?? undefined;
  const businessId = householdId ? undefined : (params.get('business') ?? undefined);
  const person = params.get('person') ?? undefined;
  const household = useQuery({ ...householdQuery(householdId ?? ''), enabled: Boolean(householdId) });
  const business = useQuery({ ...businessQuery(businessId ?? ''), enabled: Boolean(businessId) });
  const categories = useQuery(itemCategoriesQuery);
  const subjectQuery = householdId ? household : business;
  // No network (a mountain village): the household's or business's row of the phone's copy of 今天 stands in, so the
  // visit can still be recorded and queued, with its residents at home and away as 今天 last listed them.
  const offline = subjectQuery.isError && isApiError(subjectQuery.error, 'network_error');
  const forMember = useQuery({ ...todayQuery(person), enabled: Boolean(person) || offline });
  const cachedRow = offline
    ? forMember.data?.items.find((i) => (householdId ? i.householdId === householdId : i.businessId === businessId))
    : undefined;
  const navigate = useNavigate();
  const location = useLocation();

  const [id] = useState(() => crypto.randomUUID());
  const [channel, setChannel] = useState<VisitChannel>('in_person');
  const [time, setTime] = useState(() => toLocalInput(new Date()));
  const [residentIds, setResidentIds] = useState<string[] | null>(null);
  const [notes, setNotes] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const [photoProblem, setPhotoProblem] = useState<string | null>(null);
  const [items, setItems] = useState<RaisedItemInput[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (!householdId && !businessId) {
    return <UnavailableResult error={null} title="未选择走访对象" text="请从“今天”或住户、企业商户页面进入记录走访。" />;
  }
  const subject = subjectQuery;
  if (subject.isPending || (offline && forMember.isPending)) return <Skeleton active />;
  if (subject.isError && !cachedRow) return <UnavailableResult error={subject.error} title="未找到或无权查看" text="该走访对象不存在，或不在您的范围内。" />;

  const h = household.data;
  const name = h ? `${h.headName}户` : (business.data?.name ?? (cachedRow ? (cachedRow.householdId ? `${cachedRow.name}户` : cachedRow.name) : ''));
  const residents = h?.residents
    ?? (cachedRow ? [
      // `?? []`: a copy of 今天 saved by the previous version has no homeResidents.
      ...(cachedRow.homeResidents ?? []).map((r) => ({ ...r, awayScope: null })),
      ...cachedRow.awayResidents.map((r) => ({ id: r.id, name: r.name, relation: '家庭成员', awayScope: r.awayScope as 'city' | 'province' | 'abroad' })),
    ] : []);
  // Default: those at home took part (an in-person visit); the member unticks whoever was out.
  const chosen = residentIds ?? residents.filter((r) => !r.awayScope).map((r) => r.id);
  const back = (location.state as { from?: string } | null)?.from ?? (person ? `/today?${new URLSearchParams({ person })}` : '/');

  async function save() {
    const visitedAt = fromLocalInput(time);
    const problem = !visitedAt ? '请填写走访时间' : new Date(visitedAt).getTime() > Date.now() + 60_000 ? '走访时间不能晚于现在' : itemsProblem(items);
    if (problem) {
      setError(problem);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await submitVisit({
        id, ...(householdId ? { householdId } : { businessId }), ...(person ? { personId: person } : {}),
        visitedAt: visitedAt!, channel, residentIds: householdId ? chosen : [], notes: notes.trim(),
        items: items.map((it) => ({ ...it, description: it.description.trim() })), photos, subjectName: name,
      });
      if (result.status === 'refused') {
        setError(`未能保存：${result.reason ?? '请检查后重试'}`);
        return;
      }
      const visitSaved: SavedVisit = { name, queued: result.status === 'queued' };
      navigate(back, { replace: true, state: { visitSaved } });
    } catch (e) {
      setError(`未能保存：${e instanceof Error ? e.message : '请稍后重试'}。填写的内容还在，可以再点保存。`);
    } finally {
      setBusy(false);
    }
  }

  const remote = remoteChannels.includes(channel);
  return (
    <article aria-labelledby="visit-new-title" style={{ maxWidth: 640 }}>
      <PageTitle id="visit-new-title" style={{ marginBottom: 4 }}>记录走访</PageTitle>
      <Typography.Paragraph style={{ fontSize: 17, marginBottom: 4 }}>
        <Link className="lx-tap" to={h ? `/households/${encodeURIComponent(h.id)}` : `/businesses/${encodeURIComponent(businessId ?? '')}`}>{name}</Link>
      </Typography.Paragraph>
      {person && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={`代录：为 ${forMember.data?.person.name ?? '该党员'} 记录`}
          description="这次走访算在该党员名下，记录为您代录。"
        />
      )}
      <Form layout="vertical" onFinish={() => void save()} disabled={busy} requiredMark={false}>
        <Form.Item label="走访方式">
          <ChannelField value={channel} onChange={setChannel} />
        </Form.Item>
        <Form.Item label="走访时间" htmlFor="visit-time">
          <TimeField id="visit-time" value={time} onChange={setTime} />
        </Form.Item>
        {householdId && (
          <Form.Item label={remote ? '联系到的家庭成员' : '在场的家庭成员'} extra={remote ? '在外的成员通过电话、微信、视频联系到，也请勾选。' : undefined}>
            <ResidentsField residents={residents} value={chosen} onChange={setResidentIds} />
          </Form.Item>
        )}
        <Form.Item label="情况记录（可不填）" htmlFor="visit-notes">
          <Input.TextArea id="visit-notes" autoSize={{ minRows: 2, maxRows: 6 }} maxLength={NOTES_MAX} value={notes} onChange={(e) => setNotes(e.target.value)} placeholder="家里情况、聊了什么" />
        </Form.Item>
        <Form.Item label="照片">
          <PhotoField photos={photos} onChange={setPhotos} onProblem={setPhotoProblem} disabled={busy} />
          {photoProblem && <Alert type="warning" showIcon title={photoProblem} style={{ marginTop: 8 }} />}
        </Form.Item>
        <Form.Item label="反映事项">
          {categories.isError ? (
            <Alert type="warning" showIcon title="事项类别暂时无法加载" description={categories.error.message} />
          ) : (
            <ItemsField items={items} categories={(categories.data ?? []).filter((c) => c.active)} onChange={setItems} disabled={busy} />
          )}
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} role="alert" />}
        <div style={{ display: 'flex', gap: 8, position: 'sticky', bottom: 0, zIndex: 1, background: '#f5f5f5', padding: '8px 0' }}>
          <Button type="primary" htmlType="submit" size="large" loading={busy} style={{ flex: 1 }}>保存</Button>
          <Button size="large" onClick={() => navigate(back)}>取消</Button>
        </div>
      </Form>
    </article>
  );
}
