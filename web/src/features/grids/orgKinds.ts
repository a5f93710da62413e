import type { OrgKind } from '../../../../domain/org.ts';

/** 镇街 town-level orgs: the town filter. */
export const isTownKind = (kind: OrgKind) => kind === 'town_committee' || kind === 'devzone_committee';
/** 村社区 village/community branches: the village filter and the print view. */
export const isVillageKind = (kind: OrgKind) => kind === 'village_branch' || kind === 'community_branch';
