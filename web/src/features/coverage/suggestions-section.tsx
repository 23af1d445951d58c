import { useState } from 'react';
import { Alert, Button, Checkbox, List, Typography } from 'antd';
import { createLinksBatch, fetchSuggestions, type Suggestion, type Suggestions } from './coverage-queries.ts';
import { suggestionReasonLabels } from './coverage-labels.ts';
import { SectionTitle } from '../../app/page-title.tsx';

const key = (s: Suggestion) => `${s.householdId ?? s.businessId}:${s.personId}`;

/** 智能分配: the server proposes members for unlinked households (writes nothing); 采纳所选 creates them in one go. */
export function SuggestionsSection({ org }: { org: string }) {
  const [result, setResult] = useState<Suggestions | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState<'suggest' | 'accept' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function suggest() {
    setBusy('suggest');
    setError(null);
    setDone(null);
    try {
      const r = await fetchSuggestions(org);
      setResult(r);
      setSelected(new Set(r.suggestions.map(key)));
    } catch (e) {
      setError(e instanceof Error ? e.message : '生成失败');
    } finally {
      setBusy(null);
    }
  }

  async function accept() {
    if (!result) return;
    const chosen = result.suggestions.filter((s) => selected.has(key(s)));
    if (chosen.length === 0) return;
    setBusy('accept');
    setError(null);
    try {
      const created = await createLinksBatch(
        chosen.map((s) => (s.householdId ? { personId: s.personId, householdId: s.householdId } : { personId: s.personId, businessId: s.businessId ?? undefined })),
      );
      setDone(`已采纳 ${created} 条分配`);
      setResult(null);
    } catch (e) {
      setError(e instanceof Error ? `${e.message}（可重新生成建议）` : '采纳失败');
    } finally {
      setBusy(null);
    }
  }

  function toggle(k: string, on: boolean) {
    const next = new Set(selected);
    if (on) next.add(k);
    else next.delete(k);
    setSelected(next);
  }

  const all = result?.suggestions ?? [];
  return (
    <section aria-labelledby="suggest-title" style={{ marginBottom: 16 }}>
      <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: 8, marginBottom: 8 }}>
        <SectionTitle id="suggest-title" style={{ margin: 0 }}>智能分配</SectionTitle>
        <Button onClick={suggest} loading={busy === 'suggest'} disabled={busy === 'accept'}>生成分配建议</Button>
      </div>
      {done && <Alert role="status" type="success" showIcon title={done} style={{ marginBottom: 8 }} />}
      {error && <Alert role="alert" type="error" showIcon title={error} style={{ marginBottom: 8 }} />}
      {result && (
        <div role="region" aria-label="分配建议">
          {result.unassigned > 0 && (
            <Alert type="warning" showIcon title={`${result.unassigned} 户因党员联户数已满未能分配`} description={`每名党员联户目标 ${result.target.min}–${result.target.max} 户`} style={{ marginBottom: 8 }} />
          )}
          {all.length === 0 ? (
            <Alert type="info" showIcon title="没有可分配的建议" />
          ) : (
            <>
              <List
                bordered
                style={{ background: '#fff', marginBottom: 8 }}
                header={
                  <Checkbox
                    className="lx-check-row"
                    checked={selected.size === all.length}
                    indeterminate={selected.size > 0 && selected.size < all.length}
                    onChange={(e) => setSelected(e.target.checked ? new Set(all.map(key)) : new Set())}
                  >
                    全选（共 {all.length} 条）
                  </Checkbox>
                }
                dataSource={all}
                renderItem={(s) => (
                  <List.Item key={key(s)} style={{ padding: '0 12px' }}>
                    <Checkbox className="lx-check-row" checked={selected.has(key(s))} onChange={(e) => toggle(key(s), e.target.checked)}>
                      <span style={{ fontSize: 16 }}>{s.constituentName}</span>
                      <span> → {s.personName}</span>
                      <Typography.Text type="secondary"> · {suggestionReasonLabels[s.reason]}</Typography.Text>
                    </Checkbox>
                  </List.Item>
                )}
              />
              <Button type="primary" block onClick={accept} loading={busy === 'accept'} disabled={selected.size === 0}>
                采纳所选（{selected.size} 条）
              </Button>
            </>
          )}
        </div>
      )}
    </section>
  );
}
