import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParamSchema } from '../../../domain/common.ts';
import * as photos from './photos.service.ts';

const EXTENSION = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' } as const;

/**
 * Serves a stored photo (issue 11, "served with safe headers"): the stored type (always one of JPEG, PNG,
 * WebP: the bytes are our own re-encoding), `nosniff`, inline with a plain file name, a `sandbox` CSP (opened
 * on its own it has no origin and runs nothing), and cache headers: the bytes of an id never change, so the
 * ETag is their SHA-256 and a revalidation is a 304.
 */
function sendPhoto(
  req: FastifyRequest,
  reply: FastifyReply,
  id: number,
  photo: photos.ServedPhoto,
  cacheControl: string,
) {
  const etag = `"${photo.sha256}"`;
  reply
    .header('content-type', photo.mime)
    .header('x-content-type-options', 'nosniff')
    .header('content-disposition', `inline; filename="photo-${id}.${EXTENSION[photo.mime]}"`)
    .header('content-security-policy', "sandbox; default-src 'none'; frame-ancestors 'none'")
    .header('cache-control', cacheControl)
    .header('etag', etag);
  if (req.headers['if-none-match'] === etag) return reply.code(304).send();
  return reply.send(photo.bytes);
}

/** 照片 photos of activity summaries and service orders (uploads arrive with their owner's record). */
export const photoRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database;
  const tags = ['photos'];

  app.get(
    '/api/photos/:id',
    {
      config: { uploadedContent: true },
      schema: {
        tags,
        description:
          'A photo (JPEG, PNG or WebP, re-encoded without metadata) of a record the caller sees: an activity summary or a service order of his scope.',
        params: IdParamSchema,
      },
    },
    async (req, reply) => {
      const photo = await photos.readPhoto(db, req.actor(), req.params.id);
      return sendPhoto(req, reply, req.params.id, photo, 'private, max-age=3600');
    },
  );

  app.get(
    '/api/public/photos/:id',
    {
      config: { public: true, uploadedContent: true, rateLimit: { max: 600, timeWindow: 60_000 } },
      schema: {
        tags,
        security: [],
        description: 'Public: a photo of a published activity summary. Every other photo answers 404 here.',
        params: IdParamSchema,
      },
    },
    async (req, reply) => {
      const photo = await photos.readPublicPhoto(db, req.params.id);
      return sendPhoto(req, reply, req.params.id, photo, 'public, max-age=86400');
    },
  );
};
