import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParamSchema } from '../../../domain/common.ts';
import { OrderDetailSchema, OrderProgressSchema } from '../../../domain/order.ts';
import { PHOTO_BODY_LIMIT } from '../../../domain/photo.ts';
import { piiCipherFor } from '../../lib/crypto.ts';
import { recordProgress, registerOrderPhotos } from './order-photos.service.ts';

/** 工单照片: who sees order photos (the photos module asks us), and the assignee's progress records. */
export const orderPhotoRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database;
  const pii = () => piiCipherFor(app.config.dataDir, app.log);
  registerOrderPhotos();

  app.post(
    '/api/orders/:id/progress',
    {
      bodyLimit: PHOTO_BODY_LIMIT,
      schema: {
        tags: ['orders'],
        description:
          'A progress record of the assignee on an accepted or started order: a note and up to 6 photos (JPEG/PNG/WebP by content, 5 MB each). No status change; a refused photo leaves nothing written.',
        params: IdParamSchema,
        body: OrderProgressSchema,
        response: { 201: OrderDetailSchema },
      },
    },
    async (req, reply) => {
      reply.code(201);
      return recordProgress(db, pii(), req.actor(), req.params.id, req.body);
    },
  );
};
