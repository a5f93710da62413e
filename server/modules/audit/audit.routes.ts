import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AuditListSchema, AuditQuerySchema } from '../../../domain/common.ts';
import { requirePermission, resolveDistrict } from '../../lib/actor.ts';
import { listAudit } from './audit.repository.ts';

/** 审计日志 — district admins read their district's log; platform admins any district's. */
export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/audit',
    { schema: { tags: ['audit'], querystring: AuditQuerySchema, response: { 200: AuditListSchema } } },
    async (req) => {
      const actor = req.actor();
      requirePermission(actor, 'audit.read');
      const { districtId, page, pageSize, ...filter } = req.query;
      const scopeDistrict = actor.districtId === null ? (districtId ?? null) : resolveDistrict(actor, districtId);
      const result = await listAudit(app.database.db, { districtId: scopeDistrict, page, pageSize, ...filter });
      return { ...result, page, pageSize };
    },
  );
};
