import { useQuery } from '@tanstack/react-query';
import { Alert, Button, List, Popconfirm, Skeleton, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { TagAdmin } from '@lianxin/contracts';
import { PageTitle } from '../app/page-title.tsx';
import { UnavailableResult } from '../app/unavailable-result.tsx';
import { SettingsBreadcrumb } from '../features/settings/settings-breadcrumb.tsx';
import { deleteTag, tagDictionaryQuery, updateTag } from '../features/settings/settings-queries.ts';
import { TagModal } from '../features/settings/tag-modal.tsx';

/**
 * 困难群体标签: the dictionary with each tag's aliases and how many households carry it. A tag in use is retired
 * (停用: kept on those households, no longer offered nor imported), never deleted; an unused one may be deleted.
 */
export function SettingsTagsPage() {
  const q = useQuery(tagDictionaryQuery);
  const [modal, setModal] = useState<{ tag: TagAdmin | null } | null>(null);
  const [error, setError] = useState<string | null>(null);

  if (q.isPending) return <Skeleton active />;
  if (q.isError) return <UnavailableResult error={q.error} title="无权查看" text="当前账号不能查看标签设置。" />;
  const { data: tags, editable } = q.data;
  // The list shows the result (已停用, gone); only a failure needs words.
  const act = (fn: () => Promise<void>) => async () => {
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e instanceof Error ? e.message : '操作失败');
    }
  };

  return (
    <article aria-labelledby="tags-title">
      <SettingsBreadcrumb trail={[{ label: '困难群体标签' }]} />
      <PageTitle id="tags-title" style={{ marginTop: 8 }}>困难群体标签</PageTitle>
      <Typography.Paragraph type="secondary">
        登记和导入住户时可选的标签。别名是群众常用的其他写法（如“低保户”），登记时会自动换成标签。已有住户使用的标签不能删除，只能停用：停用后原有住户仍保留该标签，但不能再新登记或导入。
      </Typography.Paragraph>
      {!editable && <Alert type="info" showIcon title="标签由连心办统一维护，这里仅供查看。" style={{ marginBottom: 12 }} />}
      {editable && <Button type="primary" style={{ marginBottom: 12 }} onClick={() => setModal({ tag: null })}>新增标签</Button>}
      {error && <Alert role="alert" type="error" showIcon title={error} closable onClose={() => setError(null)} style={{ marginBottom: 12 }} />}
      <List
        bordered
        style={{ background: '#fff' }}
        dataSource={tags}
        renderItem={(t) => (
          <List.Item key={t.code} style={{ padding: '8px 12px', flexWrap: 'wrap', gap: 8 }} data-testid={`tag-${t.code}`}>
            <div style={{ minWidth: 0, flex: 1 }}>
              <Typography.Text strong style={{ fontSize: 16 }}>{t.name}</Typography.Text>
              {t.name !== t.code && <Typography.Text type="secondary">（{t.code}）</Typography.Text>}
              {!t.active && <Tag style={{ marginLeft: 8 }}>已停用</Tag>}
              <div>
                <Typography.Text type="secondary">别名：</Typography.Text>
                {t.aliases.length ? t.aliases.join('、') : '无'}
              </div>
              <Typography.Text type="secondary">{t.households} 户使用</Typography.Text>
            </div>
            {editable && (
              <Space wrap>
                <Button size="small" onClick={() => setModal({ tag: t })} aria-label={`修改${t.name}`}>修改</Button>
                {t.active
                  ? <Button size="small" onClick={act(() => updateTag(t.code, { active: false }))} aria-label={`停用${t.name}`}>停用</Button>
                  : <Button size="small" onClick={act(() => updateTag(t.code, { active: true }))} aria-label={`恢复${t.name}`}>恢复</Button>}
                {t.households === 0 && (
                  <Popconfirm title={`删除标签“${t.name}”？`} okText="删除" cancelText="取消" onConfirm={act(() => deleteTag(t.code))}>
                    <Button size="small" danger aria-label={`删除${t.name}`}>删除</Button>
                  </Popconfirm>
                )}
              </Space>
            )}
          </List.Item>
        )}
      />
      {modal && <TagModal open tag={modal.tag} onClose={() => setModal(null)} />}
    </article>
  );
}
