/**
 * 照片 photos: the one contract of image uploads (activity summaries, service orders) and the pure
 * content checks shared by server and web. An upload is judged by its bytes, never by a claimed type or
 * file name: only JPEG, PNG and WebP are taken, recognised by their magic bytes, with width and height
 * read from their own headers (so a decompression bomb is refused before anything decodes it). The
 * server then decodes and re-encodes every accepted image (server/modules/photos), which drops EXIF/XMP
 * (GPS positions are personal data under PIPL), comments and anything appended to the file.
 */
import { z } from 'zod';

/** The image types we store; anything else (SVG, GIF, HTML renamed .jpg, PDF …) is refused. */
export const PHOTO_MIMES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoMime = (typeof PHOTO_MIMES)[number];

/** Largest upload, decoded (5 MiB). Larger → 413 PHOTO_TOO_LARGE naming the field. */
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
/** Most pixels an upload may declare (40 megapixels): more is refused before decoding (decompression bombs). */
export const MAX_PHOTO_PIXELS = 40_000_000;
/** Longest side in pixels of a single dimension an upload may declare. */
export const MAX_PHOTO_SIDE = 16_384;
/** Longest side of the stored, re-encoded image; larger uploads are scaled down to it. */
export const STORED_PHOTO_SIDE = 2560;

/** 活动总结 photos of one summary. */
export const MAX_SUMMARY_PHOTOS = 9;
/** Photos of one resident request from the public phone page (no account: kept small). */
export const MAX_REQUEST_PHOTOS = 3;
/** Photos of one progress or completion record of an assignee. */
export const MAX_WORK_PHOTOS = 6;

/**
 * What a photo belongs to: the summary of an activity (owner = activity id), the resident's request of an
 * order (owner = order id) or the assignee's progress and completion records of an order (owner = order id).
 */
export const PHOTO_OWNER_KINDS = ['activity_summary', 'order_request', 'order'] as const;
export type PhotoOwnerKind = (typeof PHOTO_OWNER_KINDS)[number];

/**
 * Photos one request may carry in total, decoded (20 MiB: e.g. nine phone photos the console shrank to
 * 2560 px, or three 5 MB originals from the public page). A larger body is refused by Fastify with 413.
 */
export const MAX_PHOTO_BODY_BYTES = 20 * 1024 * 1024;
/** The JSON body limit of a route that takes photos: their base64 (a third larger) plus the record's text. */
export const PHOTO_BODY_LIMIT = Math.ceil((MAX_PHOTO_BODY_BYTES * 4) / 3) + 256 * 1024;

/** One uploaded photo: the file's bytes in base64 (JSON bodies, like notice attachments; no multipart). */
export const PhotoUploadSchema = z
  .object({
    /** file content, base64 (the service checks the bytes: JPEG/PNG/WebP only, ≤ 5 MiB, ≤ 40 megapixels) */
    dataBase64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, { message: 'photo.base64' }),
  })
  .strict();
export type PhotoUpload = z.infer<typeof PhotoUploadSchema>;

/** A stored photo as lists show it; `url` serves the image (scope-checked, or public for published pages). */
export const PhotoSchema = z.object({
  id: z.number().int(),
  url: z.string(),
  mime: z.enum(PHOTO_MIMES),
  width: z.number().int(),
  height: z.number().int(),
  byteSize: z.number().int(),
  createdAt: z.string(),
});
export type Photo = z.infer<typeof PhotoSchema>;

// ---------------------------------------------------------------------------------------------
// Content checks (pure: Uint8Array in, verdict out)
// ---------------------------------------------------------------------------------------------

export type SniffedImage = { mime: PhotoMime; width: number; height: number };
/** Why bytes are not an acceptable image: not one of our types, damaged/truncated, or too many pixels. */
export type SniffError = 'PHOTO_NOT_IMAGE' | 'PHOTO_DAMAGED' | 'PHOTO_DIMENSIONS';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const PNG_IEND = [0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0) =>
  b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);
const ascii = (b: Uint8Array, at: number, len: number) => String.fromCharCode(...b.subarray(at, at + len));
const be16 = (b: Uint8Array, at: number) => (b[at] << 8) | b[at + 1];
const be32 = (b: Uint8Array, at: number) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
const le16 = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8);
const le24 = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16);
const le32 = (b: Uint8Array, at: number) => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;

function png(b: Uint8Array): SniffedImage | SniffError {
  // Signature, then IHDR first (length 13), and the file must end with IEND: a truncated PNG, or a PNG with
  // something appended (a ZIP or HTML polyglot), is refused.
  if (b.length < 8 + 25 + 12 || be32(b, 8) !== 13 || ascii(b, 12, 4) !== 'IHDR') return 'PHOTO_DAMAGED';
  if (!startsWith(b, PNG_IEND, b.length - PNG_IEND.length)) return 'PHOTO_DAMAGED';
  return { mime: 'image/png', width: be32(b, 16), height: be32(b, 20) };
}

/** Start-of-frame markers that carry the image size (baseline, progressive, lossless, arithmetic). */
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

function jpeg(b: Uint8Array): SniffedImage | SniffError {
  // Walk the marker segments up to the frame header; each length must stay inside the file.
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return 'PHOTO_DAMAGED';
    const marker = b[at + 1];
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return 'PHOTO_DAMAGED'; // end or scan before any frame header
    const len = be16(b, at + 2);
    if (len < 2 || at + 2 + len > b.length) return 'PHOTO_DAMAGED';
    if (SOF.has(marker)) {
      if (len < 8) return 'PHOTO_DAMAGED';
      return { mime: 'image/jpeg', height: be16(b, at + 5), width: be16(b, at + 7) };
    }
    at += 2 + len;
  }
  return 'PHOTO_DAMAGED';
}

function webp(b: Uint8Array): SniffedImage | SniffError {
  // RIFF size must match the file exactly: nothing truncated, nothing appended.
  if (b.length < 30 || le32(b, 4) + 8 !== b.length) return 'PHOTO_DAMAGED';
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8X') return { mime: 'image/webp', width: le24(b, 24) + 1, height: le24(b, 27) + 1 };
  if (chunk === 'VP8 ') {
    if (!startsWith(b, [0x9d, 0x01, 0x2a], 23)) return 'PHOTO_DAMAGED';
    return { mime: 'image/webp', width: le16(b, 26) & 0x3fff, height: le16(b, 28) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    if (b[20] !== 0x2f) return 'PHOTO_DAMAGED';
    const width = 1 + (((b[22] & 0x3f) << 8) | b[21]);
    const height = 1 + (((b[24] & 0x0f) << 10) | (b[23] << 2) | ((b[22] & 0xc0) >> 6));
    return { mime: 'image/webp', width, height };
  }
  return 'PHOTO_DAMAGED';
}

/**
 * The image type and size of some bytes, judged by their content only: JPEG (FF D8 FF), PNG (its 8-byte
 * signature) or WebP (RIFF…WEBP); everything else is `PHOTO_NOT_IMAGE`. Headers that do not hold together
 * are `PHOTO_DAMAGED`; a size of 0, a side over {@link MAX_PHOTO_SIDE} or more than {@link MAX_PHOTO_PIXELS}
 * pixels is `PHOTO_DIMENSIONS`.
 */
export function sniffImage(bytes: Uint8Array): SniffedImage | SniffError {
  let found: SniffedImage | SniffError;
  if (startsWith(bytes, PNG_SIGNATURE)) found = png(bytes);
  else if (startsWith(bytes, [0xff, 0xd8, 0xff])) found = jpeg(bytes);
  else if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') found = webp(bytes);
  else return 'PHOTO_NOT_IMAGE';
  if (typeof found === 'string') return found;
  const { width, height } = found;
  if (width < 1 || height < 1 || width > MAX_PHOTO_SIDE || height > MAX_PHOTO_SIDE) return 'PHOTO_DIMENSIONS';
  if (width * height > MAX_PHOTO_PIXELS) return 'PHOTO_DIMENSIONS';
  return found;
}
