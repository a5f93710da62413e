import type { DashboardSection } from '../../../domain/dashboard.ts';
import type { Database } from '../../db/client.ts';
import type { Actor } from '../../lib/actor.ts';

/** The subject org of an overview and its direct children, with their materialised paths. */
export type SectionScope = {
  districtId: number;
  org: { id: number; path: string };
  children: { id: number; path: string }[];
};

/**
 * A module's contribution to the overview (e.g. venues: count and utilisation; notices: on-time
 * rate; orders: the two rates). Registered by the module's routes plugin; skipped for callers who
 * lack its permission check.
 */
export type DashboardSectionSource = {
  key: string;
  visibleTo(actor: Actor): boolean;
  compute(database: Database, scope: SectionScope): Promise<Omit<DashboardSection, 'key'>>;
};

const sources = new Map<string, DashboardSectionSource>();

export function registerDashboardSection(source: DashboardSectionSource): void {
  sources.set(source.key, source);
}

export function getDashboardSections(): DashboardSectionSource[] {
  return [...sources.values()];
}
