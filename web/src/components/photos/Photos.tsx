import { CloseOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Image, Space, Typography } from 'antd';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { type Photo, STORED_PHOTO_SIDE } from '../../../../domain/photo.ts';

/** A photo chosen on the device, shrunk and re-drawn in the browser, ready to send (`dataBase64`). */
export type PickedPhoto = { id: string; dataBase64: string; preview: string };

const ACCEPT = ['image/jpeg', 'image/png', 'image/webp'];
let picked = 0;

/**
 * Shrinks a photo to STORED_PHOTO_SIDE on its long side by drawing it on a canvas (orientation applied, EXIF
 * gone): a phone photo of 4–8 MB becomes a few hundred KB, so nine fit in one request. The server still checks
 * and re-encodes every upload itself; this only saves the resident's data and time.
 */
async function shrink(file: File): Promise<PickedPhoto> {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  const scale = Math.min(1, STORED_PHOTO_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const dataUrl = canvas.toDataURL(file.type === 'image/png' ? 'image/png' : 'image/jpeg', 0.85);
  // a counter, not crypto.randomUUID (only in secure contexts; the phone page may be plain HTTP)
  return { id: `p${++picked}`, dataBase64: dataUrl.slice(dataUrl.indexOf(',') + 1), preview: dataUrl };
}

/** 选择照片 pick up to `max` photos (thumbnails with remove buttons). */
export function PhotoPicker({
  value,
  onChange,
  max,
  testId = 'photo-input',
}: {
  value: PickedPhoto[];
  onChange: (photos: PickedPhoto[]) => void;
  max: number;
  testId?: string;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const input = useRef<HTMLInputElement>(null);
  const add = async (files: FileList | null) => {
    const picked = [...value];
    for (const file of Array.from(files ?? [])) {
      if (picked.length >= max) {
        message.warning(t('photos.tooMany', { max }));
        break;
      }
      if (!ACCEPT.includes(file.type)) {
        message.error(t('photos.notImage', { name: file.name }));
        continue;
      }
      try {
        picked.push(await shrink(file));
      } catch {
        message.error(t('photos.failed', { name: file.name }));
      }
    }
    onChange(picked);
    if (input.current) input.current.value = '';
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        {value.map((p, i) => (
          <div key={p.id} style={{ position: 'relative' }}>
            <img
              src={p.preview}
              alt={t('photos.alt', { n: i + 1 })}
              style={{ width: 72, height: 72, objectFit: 'cover', borderRadius: 4 }}
            />
            <Button
              size="small"
              shape="circle"
              icon={<CloseOutlined />}
              aria-label={t('photos.remove')}
              style={{ position: 'absolute', top: -8, right: -8 }}
              onClick={() => onChange(value.filter((_, j) => j !== i))}
            />
          </div>
        ))}
        {value.length < max && (
          <Button icon={<PlusOutlined />} onClick={() => input.current?.click()} style={{ height: 72 }}>
            {t('photos.add')}
          </Button>
        )}
      </Space>
      <input
        ref={input}
        type="file"
        accept={ACCEPT.join(',')}
        multiple
        hidden
        data-testid={testId}
        onChange={(e) => add(e.target.files)}
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('photos.hint', { max })}
      </Typography.Text>
    </Space>
  );
}

/** The photos of a record as thumbnails that open a preview. */
export function PhotoGallery({ photos, testId }: { photos: Photo[]; testId?: string }) {
  const { t } = useTranslation();
  if (!photos.length) return null;
  return (
    <Image.PreviewGroup>
      <Space wrap data-testid={testId}>
        {photos.map((p, i) => (
          <Image
            key={p.id}
            src={p.url}
            alt={t('photos.alt', { n: i + 1 })}
            width={88}
            height={88}
            style={{ objectFit: 'cover', borderRadius: 4 }}
          />
        ))}
      </Space>
    </Image.PreviewGroup>
  );
}

/** What the API takes from picked photos. */
export const toUploads = (photos: PickedPhoto[]) => photos.map((p) => ({ dataBase64: p.dataBase64 }));
