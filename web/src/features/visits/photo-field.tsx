import { useEffect, useMemo, useRef } from 'react';
import { Button, Typography } from 'antd';
import { VISIT_PHOTO_BYTES_MAX, VISIT_PHOTOS_MAX } from './visit-labels.ts';

/**
 * 照片: the phone's camera (capture) or its gallery; at most VISIT_PHOTOS_MAX, each under the size limit — checked here
 * so the member hears it at once, and again by the server, which re-encodes them and strips EXIF (GPS included).
 */
export function PhotoField({ photos, onChange, onProblem, disabled, max = VISIT_PHOTOS_MAX }: {
  photos: File[];
  onChange: (files: File[]) => void;
  onProblem: (text: string | null) => void;
  disabled?: boolean;
  /** How many may be added (a correction: the limit less the photos the visit keeps). */
  max?: number;
}) {
  const input = useRef<HTMLInputElement>(null);
  const urls = useMemo(() => photos.map((p) => URL.createObjectURL(p)), [photos]);
  useEffect(() => () => urls.forEach((u) => URL.revokeObjectURL(u)), [urls]);

  function add(list: FileList | null) {
    const picked = [...(list ?? [])];
    if (input.current) input.current.value = '';
    const notImage = picked.filter((f) => !f.type.startsWith('image/'));
    const tooBig = picked.filter((f) => f.size > VISIT_PHOTO_BYTES_MAX);
    const ok = picked.filter((f) => f.type.startsWith('image/') && f.size <= VISIT_PHOTO_BYTES_MAX);
    const next = [...photos, ...ok].slice(0, max);
    const problems = [
      notImage.length ? `${notImage.map((f) => f.name).join('、')} 不是图片` : '',
      tooBig.length ? `${tooBig.map((f) => f.name).join('、')} 超过 ${VISIT_PHOTO_BYTES_MAX / 1024 / 1024} MB` : '',
      photos.length + ok.length > max ? `每次走访最多 ${VISIT_PHOTOS_MAX} 张照片` : '',
    ].filter(Boolean);
    onProblem(problems.length ? problems.join('；') : null);
    onChange(next);
  }

  return (
    <div>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
        {photos.map((p, i) => (
          <figure key={urls[i]} style={{ margin: 0, position: 'relative' }}>
            <img src={urls[i]} alt={`照片 ${i + 1}`} style={{ width: 88, height: 88, objectFit: 'cover', borderRadius: 6, display: 'block' }} />
            <Button size="small" danger disabled={disabled} aria-label={`删除照片 ${i + 1}`} onClick={() => onChange(photos.filter((_, n) => n !== i))} style={{ marginTop: 4, width: 88 }}>
              删除
            </Button>
          </figure>
        ))}
      </div>
      {photos.length < max && (
        <>
          {/* The browser's own file button speaks the browser's language and looks small: a big 拍照 button opens it. */}
          <input
            ref={input}
            type="file"
            accept="image/*"
            capture="environment"
            multiple
            style={{ display: 'none' }}
            disabled={disabled}
            aria-label="添加照片"
            onChange={(e) => add(e.target.files)}
          />
          <Button size="large" disabled={disabled} onClick={() => input.current?.click()} style={{ marginTop: photos.length ? 8 : 0 }}>
            拍照或选照片
          </Button>
        </>
      )}
      <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>可不拍。最多 {VISIT_PHOTOS_MAX} 张；上传时自动去除拍摄位置信息。</Typography.Paragraph>
    </div>
  );
}
