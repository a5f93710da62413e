import type { ErrorCode } from '../../../domain/messages.ts';
import type { Executor } from '../../db/sql.ts';

/**
 * Other modules plug into the org tree here without the orgs module reading their tables:
 * - a roll-up source adds a counter to every tree node (accounts now; grids and people later),
 * - a dependent blocks deactivating an org while it still has live records of that module.
 */
export type RollupSource = {
  /** Key in `counts` of each tree node, e.g. 'accounts'. */
  key: string;
  /** Counts attached directly to each org of the district (the tree sums them up the subtree). */
  directCounts(ex: Executor, districtId: number): Promise<Map<number, number>>;
};

export type OrgDependent = {
  /** Error answered when the org still has live dependents. */
  code: ErrorCode;
  activeCount(ex: Executor, orgId: number): Promise<number>;
};

const rollupSources = new Map<string, RollupSource>();
const dependents: OrgDependent[] = [];

export function registerRollupSource(source: RollupSource): void {
  rollupSources.set(source.key, source);
}

export function registerOrgDependent(dependent: OrgDependent): void {
  if (!dependents.some((d) => d.code === dependent.code)) dependents.push(dependent);
}

export function getRollupSources(): RollupSource[] {
  return [...rollupSources.values()];
}

export function getOrgDependents(): readonly OrgDependent[] {
  return dependents;
}
