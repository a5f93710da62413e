import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/sql.ts';
import { iso, many, manyPrepared, one } from '../../db/sql.ts';
import type { Actor } from '../../lib/actor.ts';

export type AuditInput = {
  action: string;
  entity: string;
  entityId?: string | number | null;
  districtId?: number | null;
  before?: unknown;
  after?: unknown;
};

/** Who did it: an actor, or (a failed login of an unknown name) just the IP. */
export type AuditWho = {
  accountId: number | null;
  username: string | null;
  districtId: number | null;
  ip: string | null;
};

/** Records one audit entry; call it inside the transaction of the write it describes. */
export async function recordAudit(
  ex: Executor,
  who: Pick<Actor, 'accountId' | 'username' | 'districtId' | 'ip'> | AuditWho | null,
  entry: AuditInput,
): Promise<void> {
  await manyPrepared(
    ex,
    sql`
    INSERT INTO audit_log (district_id, account_id, username, action, entity, entity_id, before, after, ip)
    VALUES (${entry.districtId ?? who?.districtId ?? null}, ${who?.accountId ?? null}, ${who?.username ?? null},
            ${entry.action}, ${entry.entity}, ${entry.entityId == null ? null : String(entry.entityId)},
            ${entry.before === undefined ? null : JSON.stringify(entry.before)}::jsonb,
            ${entry.after === undefined ? null : JSON.stringify(entry.after)}::jsonb,
            ${who?.ip ?? null})`,
  );
}

export type AuditFilter = {
  districtId: number | null;
  action?: string;
  entity?: string;
  entityId?: string;
  username?: string;
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
};

export async function listAudit(ex: Executor, f: AuditFilter) {
  const conds: SQL[] = [];
  if (f.districtId !== null) conds.push(sql`district_id = ${f.districtId}`);
  if (f.action) conds.push(sql`action = ${f.action}`);
  if (f.entity) conds.push(sql`entity = ${f.entity}`);
  if (f.entityId) conds.push(sql`entity_id = ${f.entityId}`);
  if (f.username) conds.push(sql`lower(username) = lower(${f.username})`);
  if (f.from) conds.push(sql`at >= ${f.from}::timestamptz`);
  if (f.to) conds.push(sql`at < ${f.to}::timestamptz`);
  const where = conds.length ? sql`WHERE ${sql.join(conds, sql` AND `)}` : sql``;
  const total = await one<{ n: number }>(ex, sql`SELECT count(*)::int AS n FROM audit_log ${where}`);
  const rows = await many<any>(
    ex,
    sql`SELECT id, district_id, account_id, username, action, entity, entity_id, before, after, ip, at
        FROM audit_log ${where} ORDER BY id DESC LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`,
  );
  return {
    total: total?.n ?? 0,
    items: rows.map((r) => ({
      id: Number(r.id),
      districtId: r.district_id,
      accountId: r.account_id,
      username: r.username,
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      before: r.before,
      after: r.after,
      ip: r.ip,
      at: iso(r.at),
    })),
  };
}

/** Many entries of one actor in one statement (bulk writes such as a ledger import). */
export async function recordAuditBulk(
  ex: Executor,
  who: Pick<Actor, 'accountId' | 'username' | 'districtId' | 'ip'> | AuditWho | null,
  entries: AuditInput[],
): Promise<void> {
  if (!entries.length) return;
  const json = JSON.stringify(
    entries.map((e) => ({
      districtId: e.districtId ?? who?.districtId ?? null,
      action: e.action,
      entity: e.entity,
      entityId: e.entityId == null ? null : String(e.entityId),
      before: e.before ?? null,
      after: e.after ?? null,
    })),
  );
  await ex.execute(sql`
    INSERT INTO audit_log (district_id, account_id, username, action, entity, entity_id, before, after, ip)
    SELECT "districtId", ${who?.accountId ?? null}, ${who?.username ?? null}, action, entity, "entityId", before, after,
           ${who?.ip ?? null}
      FROM jsonb_to_recordset(${json}::jsonb) AS x("districtId" int, action text, entity text, "entityId" text,
                                                   before jsonb, after jsonb)`);
}
