import { type SQL, sql } from 'drizzle-orm';
import {
  type ActivitySettings,
  type PlanApproverLevel,
  resolveActivitySettings,
  scopeMayApprove,
} from '../../../domain/activity-more.ts';
import type { Database } from '../../db/client.ts';
import { type Executor, one } from '../../db/sql.ts';
import { type Actor, requirePermission, resolveDistrict } from '../../lib/actor.ts';
import { AppError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.repository.ts';

/**
 * 上一级审批（可配置）: which level approves plans is a district setting, kept in `district_settings`
 * (column `activity_settings`, jsonb, missing keys take the defaults — like the grid capacity rule).
 * The rule itself is `approverPath` / `scopeMayApprove` in domain/activity-more.ts; the "to approve"
 * list repeats it in SQL ({@link approverPathSql}) and a test keeps both in step.
 */

// ── settings ──────────────────────────────────────────────────────────────────────────────────

export async function loadActivitySettings(ex: Executor, districtId: number) {
  const r = await one<{ activity_settings: unknown }>(
    ex,
    sql`SELECT activity_settings FROM district_settings WHERE district_id = ${districtId}`,
  );
  const raw = typeof r?.activity_settings === 'string' ? JSON.parse(r.activity_settings) : r?.activity_settings;
  return resolveActivitySettings(raw);
}

/** The level that approves plans in a district. */
export async function planApproverLevel(ex: Executor, districtId: number): Promise<PlanApproverLevel> {
  return (await loadActivitySettings(ex, districtId)).planApprover;
}

async function saveActivitySettings(ex: Executor, districtId: number, settings: { planApprover: PlanApproverLevel }) {
  await ex.execute(sql`INSERT INTO district_settings (district_id, activity_settings)
    VALUES (${districtId}, ${JSON.stringify(settings)}::jsonb)
    ON CONFLICT (district_id) DO UPDATE SET activity_settings = excluded.activity_settings, updated_at = now()`);
}

export async function getActivitySettings(
  database: Database,
  actor: Actor,
  requestedDistrict?: number,
): Promise<ActivitySettings> {
  requirePermission(actor, 'activity.read');
  const districtId = resolveDistrict(actor, requestedDistrict);
  return { districtId, ...(await loadActivitySettings(database.db, districtId)) };
}

/** District and platform admins set the approval level; the change applies to plans awaiting approval too. */
export async function updateActivitySettings(
  database: Database,
  actor: Actor,
  input: { districtId?: number; planApprover: PlanApproverLevel },
): Promise<ActivitySettings> {
  requirePermission(actor, 'activity.manage');
  if (actor.role !== 'district_admin' && actor.role !== 'platform_admin') throw new AppError('FORBIDDEN');
  const districtId = resolveDistrict(actor, input.districtId);
  if (!(await one(database.db, sql`SELECT 1 FROM districts WHERE id = ${districtId}`))) {
    throw new AppError('DISTRICT_NOT_FOUND');
  }
  return database.db.transaction(async (tx) => {
    const before = await loadActivitySettings(tx, districtId);
    const after = { ...before, planApprover: input.planApprover };
    await saveActivitySettings(tx, districtId, after);
    await recordAudit(tx, actor, {
      action: 'activity.settings',
      entity: 'district_settings',
      entityId: districtId,
      districtId,
      before,
      after,
    });
    return { districtId, ...after };
  });
}

// ── the rule ─────────────────────────────────────────────────────────────────────────────────

/** The refusal (403) that names the district's level. */
export function approvalRefusal(level: PlanApproverLevel): AppError {
  return new AppError(
    level === 'town' ? 'PLAN_APPROVAL_TOWN' : level === 'district' ? 'PLAN_APPROVAL_DISTRICT' : 'PLAN_APPROVAL_LEVEL',
  );
}

/** Whether the actor may approve or return a plan of the org at `orgPath`, under the district's level. */
export function mayApproveAt(actor: Actor, orgPath: string, level: PlanApproverLevel): boolean {
  if (actor.role === 'platform_admin') return true;
  if (actor.role !== 'district_admin' && actor.role !== 'org_admin') return false;
  if (!actor.scopePath) return false;
  return scopeMayApprove(actor.scopePath, orgPath, level);
}

/**
 * `approverPath` in SQL over an orgs alias: the district root ('/1/'), the town ('/1/7/', only for
 * orgs below a town, else the parent) or the parent ('/1/7/' of '/1/7/42/'; the root itself for the root).
 */
export function approverPathSql(level: PlanApproverLevel, alias = 'o'): SQL {
  const path = sql.raw(`${alias}.path`);
  const parent = sql`coalesce(substring(${path} from '^(/(?:[0-9]+/)+)[0-9]+/$'), ${path})`;
  if (level === 'district') return sql`substring(${path} from '^/[0-9]+/')`;
  if (level === 'town') return sql`coalesce(substring(${path} from '^(/[0-9]+/[0-9]+/)[0-9]+/'), ${parent})`;
  return parent;
}

/** SQL condition: plans (orgs alias) the actor may approve under `level` — the list view "to approve". */
export function approvableCondition(actor: Actor, level: PlanApproverLevel, alias = 'o'): SQL {
  if (actor.role === 'platform_admin' || actor.scopePath === null) return sql`true`;
  if (actor.role !== 'district_admin' && actor.role !== 'org_admin') return sql`false`;
  return sql`${approverPathSql(level, alias)} LIKE ${`${actor.scopePath}%`}`;
}
