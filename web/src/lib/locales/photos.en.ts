import type { photosZhCN } from './photos.zh-CN.ts';

type Strings<T> = { [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };

export const photosEn: Strings<typeof photosZhCN> = {
  add: 'Add photos',
  hint: 'Up to {{max}}, JPEG/PNG/WebP, 5 MB each; shrunk before upload, and location and camera data are removed',
  remove: 'Remove',
  notImage: '{{name}} is not a JPEG, PNG or WebP image',
  tooMany: 'At most {{max}} photos',
  failed: '{{name}} could not be read',
  none: 'No photos',
  request: "Requester's photos",
  work: 'Work photos',
  summary: 'Summary photos',
  progress: 'Record progress',
  progressTitle: 'Record progress',
  progressNote: 'What was done',
  alt: 'Photo {{n}}',
};
