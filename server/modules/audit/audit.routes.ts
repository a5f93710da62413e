import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AuditListSchema, AuditQuerySchema } from '../../../domain/common.ts';
import { requirePermission, resolveDistrict } from '../../lib/actor.ts';
import { listAudit } from './audit.repository.ts';
import { purgeAudit } from './audit-chain.ts';

const DAY_MS = 24 * 3600 * 1000;

/** 审计日志 — district admins read their district's log; platform admins any district's. */
export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  // Retention: once a day (and once after start) the job queue's tick purges rows older than the retention
  // (≥ 180 days; the database refuses younger). Idempotent, so several app servers may each run it.
  let lastPurge = 0;
  app.jobs.addTickTask(async (now) => {
    if (now.getTime() - lastPurge < DAY_MS) return;
    lastPurge = now.getTime();
    const n = await purgeAudit(app.database, app.config.auditRetentionDays);
    if (n) app.log.info({ purged: n, keepDays: app.config.auditRetentionDays }, 'audit retention purge');
  });
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
