import ExcelJS from 'exceljs';
import type { z } from 'zod';
import { roleCan } from '../../../domain/account.ts';
import {
  type ManualScoresSchema,
  maxTotal,
  periodRange,
  RANKING_SUBJECT_KINDS,
  type RankingDefinition,
  type RankingKind,
  type RankingResults,
  type RankingSchemeCreateSchema,
  type RankingSchemeUpdateSchema,
  rankingTemplate,
  rankOrgs,
  THOUSAND_TOTAL,
} from '../../../domain/assessment.ts';
import { escapeSpreadsheetText } from '../../../domain/ledger.ts';
import type { Database } from '../../db/client.ts';
import type { Executor } from '../../db/sql.ts';
import { type Actor, requirePermission, resolveDistrict } from '../../lib/actor.ts';
import { AppError, pgErrorOf } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { registerMultiplierSource } from '../funds/fund-hooks.ts';
import { loadOrgInScope } from '../orgs/orgs.service.ts';
import { getRankingMetric, listRankingMetrics, type MetricContext } from './ranking-metrics.ts';
import {
  findPeriod,
  findScheme,
  insertPeriod,
  insertScheme,
  listPeriods,
  listSchemes,
  listSubjects,
  lockPeriod,
  manualScoresOf,
  type PeriodRow,
  publishedSnapshots,
  publishPeriod,
  type SchemeRow,
  snapshotOf,
  updateScheme,
  upsertManualScores,
} from './rankings.repository.ts';

/** District admins (assessment.manage) see periods live; other readers only published snapshots. */
const canManage = (actor: Actor) => roleCan(actor.role, 'assessment.manage');

function toScheme(s: SchemeRow) {
  return { ...s, maxTotal: maxTotal(s.definition) };
}

/** A definition must use registered metrics; a 1000-point one must add up to 1,000. */
function checkDefinition(kind: RankingKind, def: RankingDefinition) {
  for (const [i, c] of def.categories.entries()) {
    for (const [j, item] of c.items.entries()) {
      if (item.metric && !getRankingMetric(item.metric)) {
        throw new AppError('RANKING_METRIC_UNKNOWN', {
          errors: [{ field: `definition.categories.${i}.items.${j}.metric`, message: 'RANKING_METRIC_UNKNOWN' }],
        });
      }
    }
  }
  if (kind === 'thousand' && Math.abs(maxTotal(def) - THOUSAND_TOTAL) > 1e-6) {
    throw new AppError('RANKING_POINTS_SUM', {
      detail: `${maxTotal(def)} ≠ ${THOUSAND_TOTAL}`,
      errors: [{ field: 'definition', message: 'RANKING_POINTS_SUM' }],
    });
  }
}

export function getMetrics(actor: Actor) {
  requirePermission(actor, 'assessment.read');
  return {
    items: listRankingMetrics().map((m) => ({
      key: m.key,
      label: m.label[actor.lang],
      unit: m.unit,
      description: m.description[actor.lang],
    })),
  };
}

export async function getSchemes(database: Database, actor: Actor, districtId?: number) {
  requirePermission(actor, 'assessment.read');
  return { items: (await listSchemes(database.db, resolveDistrict(actor, districtId))).map(toScheme) };
}

async function loadScheme(database: Database, actor: Actor, id: number, districtId?: number) {
  const scheme = await findScheme(database.db, resolveDistrict(actor, districtId), id);
  if (!scheme) throw new AppError('RANKING_SCHEME_NOT_FOUND');
  return scheme;
}

export async function getScheme(database: Database, actor: Actor, id: number, districtId?: number) {
  requirePermission(actor, 'assessment.read');
  return toScheme(await loadScheme(database, actor, id, districtId));
}

/** 排行方案 from the built-in template of its kind or a definition of its own. */
export async function createScheme(
  database: Database,
  actor: Actor,
  input: z.infer<typeof RankingSchemeCreateSchema>,
  districtId?: number,
) {
  requirePermission(actor, 'assessment.manage');
  const district = resolveDistrict(actor, districtId);
  const definition = input.definition ?? rankingTemplate(input.kind);
  checkDefinition(input.kind, definition);
  return database.db.transaction(async (tx) => {
    const scheme = await insertScheme(tx, district, { kind: input.kind, name: input.name, definition });
    await recordAudit(tx, actor, {
      action: 'ranking.scheme_create',
      entity: 'ranking_scheme',
      entityId: scheme.id,
      districtId: district,
      after: { kind: scheme.kind, name: scheme.name, definition },
    });
    return toScheme(scheme);
  });
}

/** Edits a scheme's formula (items, weights, tiers); published periods keep their frozen results. */
export async function editScheme(
  database: Database,
  actor: Actor,
  id: number,
  input: z.infer<typeof RankingSchemeUpdateSchema>,
  districtId?: number,
) {
  requirePermission(actor, 'assessment.manage');
  const before = await loadScheme(database, actor, id, districtId);
  const definition = input.definition ?? before.definition;
  checkDefinition(before.kind, definition);
  return database.db.transaction(async (tx) => {
    const after = await updateScheme(tx, id, { name: input.name ?? before.name, definition });
    await recordAudit(tx, actor, {
      action: 'ranking.scheme_update',
      entity: 'ranking_scheme',
      entityId: id,
      districtId: before.districtId,
      before: { name: before.name, definition: before.definition },
      after: { name: after.name, definition: after.definition },
    });
    return toScheme(after);
  });
}

export async function getPeriods(database: Database, actor: Actor, query: { districtId?: number; schemeId?: number }) {
  requirePermission(actor, 'assessment.read');
  const district = resolveDistrict(actor, query.districtId);
  return {
    items: await listPeriods(database.db, district, { schemeId: query.schemeId, publishedOnly: !canManage(actor) }),
  };
}

export async function createPeriod(
  database: Database,
  actor: Actor,
  input: { schemeId: number; period: string },
  districtId?: number,
) {
  requirePermission(actor, 'assessment.manage');
  const district = resolveDistrict(actor, districtId);
  const scheme = await findScheme(database.db, district, input.schemeId);
  if (!scheme) {
    throw new AppError('RANKING_SCHEME_NOT_FOUND', {
      errors: [{ field: 'schemeId', message: 'RANKING_SCHEME_NOT_FOUND' }],
    });
  }
  const { from, to } = periodRange(input.period);
  return database.db
    .transaction(async (tx) => {
      const id = await insertPeriod(tx, { districtId: district, schemeId: scheme.id, period: input.period, from, to });
      await recordAudit(tx, actor, {
        action: 'ranking.period_create',
        entity: 'ranking_period',
        entityId: id,
        districtId: district,
        after: { schemeId: scheme.id, period: input.period },
      });
      return (await findPeriod(tx, district, id))!;
    })
    .catch((err) => {
      const pg = pgErrorOf(err);
      if (pg?.code === '23505' && pg.constraint === 'ranking_periods_scheme_period_uq') {
        throw new AppError('RANKING_PERIOD_EXISTS', {
          errors: [{ field: 'period', message: 'RANKING_PERIOD_EXISTS' }],
        });
      }
      throw err;
    });
}

/** A period the caller may see: any of the district for managers, published ones for other readers. */
async function loadPeriod(database: Database, actor: Actor, id: number, districtId?: number) {
  requirePermission(actor, 'assessment.read');
  const period = await findPeriod(database.db, resolveDistrict(actor, districtId), id);
  if (!period || (period.status !== 'published' && !canManage(actor))) throw new AppError('RANKING_PERIOD_NOT_FOUND');
  return period;
}

function contextOf(actor: Actor, period: PeriodRow): MetricContext {
  const { year } = periodRange(period.period);
  return { actor, districtId: period.districtId, from: period.startsAt, to: period.endsAt, year };
}

/** Computes a period now: every registered metric the scheme uses, the manual scores, the ranking. */
async function computeResults(
  ex: Executor,
  actor: Actor,
  period: PeriodRow,
  scheme: SchemeRow,
): Promise<RankingResults> {
  const subjects = await listSubjects(ex, period.districtId, RANKING_SUBJECT_KINDS[scheme.kind], actor.scopePath);
  const ctx = contextOf(actor, period);
  const keys = new Set(
    scheme.definition.categories.flatMap((c) => c.items.flatMap((i) => (i.metric ? [i.metric] : []))),
  );
  const values = new Map<string, Map<number, { value: number | null }>>();
  for (const key of keys) {
    const metric = getRankingMetric(key);
    if (metric) values.set(key, await metric.compute(ex, ctx, subjects));
  }
  const manual = new Map<number, Map<string, { points: number; note: string | null; evidence: string | null }>>();
  for (const m of await manualScoresOf(ex, period.id)) {
    if (!manual.has(m.org_id)) manual.set(m.org_id, new Map());
    manual.get(m.org_id)!.set(m.item_key, { points: Number(m.points), note: m.note, evidence: m.evidence });
  }
  return {
    period,
    maxTotal: maxTotal(scheme.definition),
    live: true,
    computedAt: new Date().toISOString(),
    rows: rankOrgs(scheme.definition, subjects, values, manual),
  };
}

/**
 * 排行结果 Live for managers while the period is open; the frozen snapshot once published, limited
 * for other readers to the orgs of their subtree (ranks stay those of the whole district).
 */
export async function getResults(database: Database, actor: Actor, id: number, districtId?: number) {
  const period = await loadPeriod(database, actor, id, districtId);
  if (period.status === 'open') {
    const scheme = (await findScheme(database.db, period.districtId, period.schemeId))!;
    return computeResults(database.db, actor, period, scheme);
  }
  const snap = (await snapshotOf(database.db, id))!;
  const inScope = new Set(
    (await listSubjects(database.db, period.districtId, RANKING_SUBJECT_KINDS[period.kind], actor.scopePath)).map(
      (s) => s.id,
    ),
  );
  return { ...snap, period, live: false, rows: snap.rows.filter((r) => inScope.has(r.orgId)) };
}

/** 手工评分 Manual items of one org, with note and evidence (managers, open periods). */
export async function enterManualScores(
  database: Database,
  actor: Actor,
  id: number,
  input: z.infer<typeof ManualScoresSchema>,
  districtId?: number,
) {
  requirePermission(actor, 'assessment.manage');
  const period = await loadPeriod(database, actor, id, districtId);
  const scheme = (await findScheme(database.db, period.districtId, period.schemeId))!;
  const items = new Map(scheme.definition.categories.flatMap((c) => c.items.map((i) => [i.key, i])));
  for (const [n, entry] of input.items.entries()) {
    const item = items.get(entry.itemKey);
    const field = `items.${n}`;
    if (!item)
      throw new AppError('RANKING_ITEM_UNKNOWN', {
        errors: [{ field: `${field}.itemKey`, message: 'RANKING_ITEM_UNKNOWN' }],
      });
    if (item.source !== 'manual') {
      throw new AppError('RANKING_ITEM_NOT_MANUAL', {
        errors: [{ field: `${field}.itemKey`, message: 'RANKING_ITEM_NOT_MANUAL' }],
      });
    }
    if (entry.points > item.maxPoints) {
      throw new AppError('RANKING_POINTS_OVER_MAX', {
        detail: `${entry.points} > ${item.maxPoints}`,
        errors: [{ field: `${field}.points`, message: 'RANKING_POINTS_OVER_MAX' }],
      });
    }
  }
  const org = await loadOrgInScope(database, actor, input.orgId).catch((err) => {
    if (err instanceof AppError && err.code === 'ORG_NOT_FOUND') {
      throw new AppError('ORG_NOT_FOUND', { errors: [{ field: 'orgId', message: 'ORG_NOT_FOUND' }] });
    }
    throw err;
  });
  if (!RANKING_SUBJECT_KINDS[scheme.kind].includes(org.kind)) {
    throw new AppError('RANKING_ORG_NOT_RANKED', { errors: [{ field: 'orgId', message: 'RANKING_ORG_NOT_RANKED' }] });
  }
  return database.db.transaction(async (tx) => {
    if ((await lockPeriod(tx, period.id)) !== 'open') throw new AppError('RANKING_PUBLISHED');
    const rows = input.items.map((i) => ({
      itemKey: i.itemKey,
      points: i.points,
      note: i.note ?? null,
      evidence: i.evidence ?? null,
    }));
    await upsertManualScores(
      tx,
      { periodId: period.id, districtId: period.districtId, orgId: org.id, scoredBy: actor.accountId },
      rows,
    );
    await recordAudit(tx, actor, {
      action: 'ranking.manual_scores',
      entity: 'ranking_period',
      entityId: period.id,
      districtId: period.districtId,
      after: { orgId: org.id, items: rows },
    });
    return computeResults(tx, actor, period, scheme);
  });
}

/** 发布 Freezes the period's results (computed district-wide now); a second publication is refused. */
export async function publish(database: Database, actor: Actor, id: number, districtId?: number) {
  requirePermission(actor, 'assessment.manage');
  const period = await loadPeriod(database, actor, id, districtId);
  if (period.status !== 'open') throw new AppError('RANKING_PUBLISHED');
  const scheme = (await findScheme(database.db, period.districtId, period.schemeId))!;
  return database.db.transaction(async (tx) => {
    if ((await lockPeriod(tx, period.id)) !== 'open') throw new AppError('RANKING_PUBLISHED');
    const results = await computeResults(tx, actor, period, scheme);
    if (!(await publishPeriod(tx, period.id, { ...results, live: false }))) throw new AppError('RANKING_PUBLISHED');
    const published = (await findPeriod(tx, period.districtId, period.id))!;
    await recordAudit(tx, actor, {
      action: 'ranking.publish',
      entity: 'ranking_period',
      entityId: period.id,
      districtId: period.districtId,
      after: {
        period: period.period,
        rows: results.rows.map((r) => ({ orgId: r.orgId, rank: r.rank, total: r.total, tier: r.tier?.name ?? null })),
      },
    });
    return { ...results, period: published, live: false };
  });
}

/** 下钻 The records behind one computed number of one org (or a manual item's note and evidence). */
export async function drilldown(
  database: Database,
  actor: Actor,
  id: number,
  query: { orgId: number; itemKey: string },
  districtId?: number,
) {
  const period = await loadPeriod(database, actor, id, districtId);
  const results = await getResults(database, actor, id, districtId);
  const row = results.rows.find((r) => r.orgId === query.orgId);
  if (!row) {
    await loadOrgInScope(database, actor, query.orgId); // 404 (audited) outside the scope
    throw new AppError('RANKING_ORG_NOT_RANKED', { errors: [{ field: 'orgId', message: 'RANKING_ORG_NOT_RANKED' }] });
  }
  const item = row.items.find((i) => i.key === query.itemKey);
  if (!item)
    throw new AppError('RANKING_ITEM_UNKNOWN', { errors: [{ field: 'itemKey', message: 'RANKING_ITEM_UNKNOWN' }] });
  const base = {
    orgId: row.orgId,
    itemKey: item.key,
    metric: item.metric,
    value: item.value,
    numerator: item.numerator,
    denominator: item.denominator,
  };
  const metric = item.metric ? getRankingMetric(item.metric) : undefined;
  if (!metric) {
    const l = actor.lang === 'en';
    return {
      ...base,
      columns: [
        { key: 'points', label: l ? 'Points' : '得分' },
        { key: 'maxPoints', label: l ? 'Maximum' : '满分' },
        { key: 'note', label: l ? 'Note' : '说明' },
        { key: 'evidence', label: l ? 'Evidence' : '佐证' },
      ],
      rows: [{ points: item.points, maxPoints: item.maxPoints, note: item.note, evidence: item.evidence }],
      truncated: false,
    };
  }
  const org = await loadOrgInScope(database, actor, row.orgId);
  const records = await metric.records(database.db, contextOf(actor, period), { id: org.id, path: org.path }, 200);
  return {
    ...base,
    columns: records.columns.map((c) => ({ key: c.key, label: c.label[actor.lang] })),
    rows: records.rows,
    truncated: records.truncated,
  };
}

/** 历史 An org's results across the published periods of a scheme. */
export async function history(database: Database, actor: Actor, schemeId: number, orgId: number, districtId?: number) {
  requirePermission(actor, 'assessment.read');
  const scheme = await loadScheme(database, actor, schemeId, districtId);
  await loadOrgInScope(database, actor, orgId);
  const snaps = (await publishedSnapshots(database.db, scheme.districtId, scheme.kind)).filter(
    (s) => s.results.period.schemeId === scheme.id,
  );
  const items = snaps.flatMap((s) => {
    const row = s.results.rows.find((r) => r.orgId === orgId);
    if (!row) return [];
    return [
      {
        periodId: s.id,
        period: s.period,
        rank: row.rank,
        of: s.results.rows.length,
        total: row.total,
        maxTotal: s.results.maxTotal,
        tier: row.tier?.name ?? null,
        categories: row.categories,
      },
    ];
  });
  return { orgId, items };
}

/** The org's places in published rankings (for the nominations' records). */
export async function publishedPlacesOf(ex: Executor, districtId: number, orgId: number) {
  return (await publishedSnapshots(ex, districtId)).flatMap((s) => {
    const row = s.results.rows.find((r) => r.orgId === orgId);
    if (!row) return [];
    return [
      {
        schemeName: s.scheme_name,
        period: s.period,
        rank: row.rank,
        of: s.results.rows.length,
        total: row.total,
        maxTotal: s.results.maxTotal,
        tier: row.tier?.name ?? null,
      },
    ];
  });
}

/** The provident-fund multiplier of an org's tier in its latest published quarterly ranking up to the year. */
export function registerTierMultiplier(): void {
  registerMultiplierSource({
    key: 'ranking_tier',
    async multiplierPct(ex, districtId, orgId, year) {
      for (const s of await publishedSnapshots(ex, districtId, 'quarterly')) {
        if (Number(s.period.slice(0, 4)) > year) continue;
        const row = s.results.rows.find((r) => r.orgId === orgId);
        if (row) return row.tier?.multiplierPct ?? null;
      }
      return null;
    },
  });
}

const XLSX_LABELS = {
  'zh-CN': { rank: '名次', org: '组织', parent: '上级', total: '总分', tier: '档次', subsidy: '补助（元）' },
  en: { rank: 'Rank', org: 'Organisation', parent: 'Parent', total: 'Total', tier: 'Tier', subsidy: 'Subsidy (CNY)' },
} as const;

/** The period's ranking as .xlsx: one row per org, every item's points, the tier and subsidy. */
export async function resultsWorkbook(database: Database, actor: Actor, id: number, districtId?: number) {
  const results = await getResults(database, actor, id, districtId);
  const l = XLSX_LABELS[actor.lang];
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(results.period.period);
  const items = results.rows[0]?.items ?? [];
  sheet.addRow([escapeSpreadsheetText(`${results.period.schemeName} ${results.period.period}`)]).font = {
    bold: true,
    size: 14,
  };
  sheet.addRow([
    l.rank,
    l.org,
    l.parent,
    ...items.map((i) => escapeSpreadsheetText(`${i.label} (${i.maxPoints})`)),
    `${l.total} (${results.maxTotal})`,
    l.tier,
    l.subsidy,
  ]).font = { bold: true };
  for (const r of results.rows) {
    sheet.addRow([
      r.rank,
      escapeSpreadsheetText(r.orgName),
      escapeSpreadsheetText(r.parentName ?? ''),
      ...r.items.map((i) => i.points),
      r.total,
      escapeSpreadsheetText(r.tier?.name ?? ''),
      r.tier ? r.tier.subsidyFen / 100 : '',
    ]);
  }
  sheet.getColumn(2).width = 24;
  sheet.getColumn(3).width = 20;
  return {
    buffer: Buffer.from(await workbook.xlsx.writeBuffer()),
    fileName:
      actor.lang === 'en' ? `ranking-${results.period.period}-${id}.xlsx` : `排行-${results.period.period}-${id}.xlsx`,
  };
}
