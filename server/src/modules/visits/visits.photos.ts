import sharp from 'sharp';
import { errors } from '../../errors.ts';

/** What a phone sends: the camera's formats. Anything else is refused before it is decoded (415). */
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif'] as const;
/** The longest side kept: enough to read a document on a wall, small enough for a village's upload. */
const MAX_SIDE = 1600;
// A decompression bomb (a small file of a huge image) is refused before it is decoded in full.
const MAX_INPUT_PIXELS = 50_000_000;

/**
 * Re-encodes a photo as JPEG ≤ 1600 px on its longest side. sharp writes no metadata unless asked, so EXIF — the GPS
 * position of the member's and the household's home among it — never reaches storage; the orientation is applied first
 * (rotate()) so the picture still stands upright without it.
 */
export async function reencodePhoto(input: Buffer): Promise<{ mime: 'image/jpeg'; width: number; height: number; bytes: Buffer }> {
  try {
    const { data, info } = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .rotate()
      .resize(MAX_SIDE, MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 80, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    return { mime: 'image/jpeg', width: info.width, height: info.height, bytes: data };
  } catch {
    throw errors.validation('无法识别的图片，请重新拍照或选择 JPEG/PNG 图片');
  }
}
