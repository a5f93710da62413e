import type { Executor } from '../../db/sql.ts';

/**
 * Seams of the provident-fund module for modules that land later, so that funds never reads their
 * tables:
 *
 * - a **spend source** adds League spending per town and year to the budget rules (the activities
 *   module registers the spend of its activities: total and the part on twin-net activities);
 * - a **multiplier source** overrides the district multiplier for one org and year (the rankings
 *   register the multiplier of the org's subsidy tier in its latest published quarterly ranking).
 */
export type TownSpend = { totalFen: number; twinNetFen: number };

export type SpendSource = {
  key: string;
  /** Spend per town (by town org id) of the district in the calendar year (Asia/Shanghai). */
  spendByTown(
    ex: Executor,
    districtId: number,
    year: number,
    towns: { id: number; path: string }[],
  ): Promise<Map<number, TownSpend>>;
};

export type MultiplierSource = {
  key: string;
  /** The multiplier in percent (110–150) for the org and year, or null to keep the district's. */
  multiplierPct(ex: Executor, districtId: number, orgId: number, year: number): Promise<number | null>;
};

const spendSources = new Map<string, SpendSource>();
let multiplierSource: MultiplierSource | null = null;

export function registerSpendSource(source: SpendSource): void {
  spendSources.set(source.key, source);
}

export function unregisterSpendSource(key: string): void {
  spendSources.delete(key);
}

export function getSpendSources(): SpendSource[] {
  return [...spendSources.values()];
}

export function registerMultiplierSource(source: MultiplierSource): void {
  multiplierSource = source;
}

export function getMultiplierSource(): MultiplierSource | null {
  return multiplierSource;
}
