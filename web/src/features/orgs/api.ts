import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { AllianceMemberListSchema, Org, OrgKind, OrgListSchema, OrgTreeNode } from '../../../../domain/org.ts';
import { useDistrict } from '../../app/district.tsx';
import { api } from '../../lib/api.ts';

export type OrgList = z.infer<typeof OrgListSchema>;
export type OrgListItem = OrgList['items'][number];
export type AllianceMembers = z.infer<typeof AllianceMemberListSchema>;

/** Flat index of the tree: node, parent id and depth by id, plus the ids in display order. */
export type OrgIndex = {
  byId: Map<number, OrgTreeNode>;
  parentOf: Map<number, number | null>;
  order: number[];
};

export function indexTree(roots: OrgTreeNode[]): OrgIndex {
  const byId = new Map<number, OrgTreeNode>();
  const parentOf = new Map<number, number | null>();
  const order: number[] = [];
  const stack: [OrgTreeNode, number | null][] = roots.map((r) => [r, null] as [OrgTreeNode, number | null]).reverse();
  while (stack.length > 0) {
    const [node, parent] = stack.pop()!;
    byId.set(node.id, node);
    parentOf.set(node.id, parent);
    order.push(node.id);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push([node.children[i], node.id]);
  }
  return { byId, parentOf, order };
}

/** Ids from a node up to its root (the node itself first). */
export function ancestorsOf(index: OrgIndex, id: number): number[] {
  const path: number[] = [];
  let current: number | null | undefined = id;
  while (current !== null && current !== undefined && !path.includes(current)) {
    path.push(current);
    current = index.parentOf.get(current);
  }
  return path;
}

/** True when `candidate` is `id` or lies in its subtree. */
export function isInSubtree(index: OrgIndex, candidate: number, id: number): boolean {
  return ancestorsOf(index, candidate).includes(id);
}

export const orgKeys = {
  all: ['orgs'] as const,
  tree: (districtId: number | undefined) => ['orgs', 'tree', districtId ?? null] as const,
  list: (districtId: number | undefined, params: object) => ['orgs', 'list', districtId ?? null, params] as const,
  one: (id: number) => ['orgs', 'one', id] as const,
  members: (id: number) => ['orgs', 'members', id] as const,
};

export function useOrgTree(enabled = true) {
  const { districtId, canChoose } = useDistrict();
  return useQuery({
    queryKey: orgKeys.tree(districtId),
    queryFn: () => api<{ roots: OrgTreeNode[]; total: number }>('GET', '/api/orgs/tree', { query: { districtId } }),
    enabled: enabled && (!canChoose || districtId !== undefined),
    staleTime: 30_000,
  });
}

export type OrgSearch = {
  q?: string;
  kind?: OrgKind;
  active?: 'true' | 'false' | 'all';
  page?: number;
  pageSize?: number;
};

export function useOrgSearch(params: OrgSearch, enabled = true) {
  const { districtId } = useDistrict();
  return useQuery({
    queryKey: orgKeys.list(districtId, params),
    queryFn: () => api<OrgList>('GET', '/api/orgs', { query: { districtId, ...params } }),
    enabled,
    staleTime: 15_000,
    placeholderData: (previous) => previous,
  });
}

export function useOrg(id: number | null) {
  return useQuery({
    queryKey: orgKeys.one(id ?? 0),
    queryFn: () => api<Org>('GET', `/api/orgs/${id}`),
    enabled: id !== null,
  });
}

export function useAllianceMembers(id: number, enabled: boolean) {
  return useQuery({
    queryKey: orgKeys.members(id),
    queryFn: () => api<AllianceMembers>('GET', `/api/orgs/${id}/members`),
    enabled,
  });
}
