import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/sql.ts';
import { iso, many, one } from '../../db/sql.ts';

const SELECT_DISTRICT = sql`SELECT d.id, d.code, d.name, d.created_at, o.id AS root_org_id
  FROM districts d JOIN orgs o ON o.district_id = d.id AND o.parent_id IS NULL`;

function toDistrict(r: any) {
  return { id: r.id, code: r.code, name: r.name, rootOrgId: r.root_org_id, createdAt: iso(r.created_at) };
}

export async function getDistrictName(ex: Executor, id: number): Promise<string | null> {
  const r = await one<{ name: string }>(ex, sql`SELECT name FROM districts WHERE id = ${id}`);
  return r?.name ?? null;
}

export async function listDistricts(ex: Executor, onlyId: number | null) {
  const where = onlyId === null ? sql`` : sql`WHERE d.id = ${onlyId}`;
  return (await many(ex, sql`${SELECT_DISTRICT} ${where} ORDER BY d.code`)).map(toDistrict);
}

export async function findDistrict(ex: Executor, id: number) {
  const r = await one(ex, sql`${SELECT_DISTRICT} WHERE d.id = ${id}`);
  return r ? toDistrict(r) : undefined;
}

export async function insertDistrict(ex: Executor, code: string, name: string): Promise<number> {
  const r = await one<{ id: number }>(
    ex,
    sql`INSERT INTO districts (code, name) VALUES (${code}, ${name}) RETURNING id`,
  );
  return r!.id;
}

export async function districtCodeTaken(ex: Executor, code: string): Promise<boolean> {
  return !!(await one(ex, sql`SELECT 1 FROM districts WHERE code = ${code}`));
}
