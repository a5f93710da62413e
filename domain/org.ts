import { z } from 'zod';

/** Kinds of League organisation (PRODUCT.md §1). */
export const HIERARCHICAL_ORG_KINDS = [
  /** 团区委 district committee — root of a district's tree */
  'district_committee',
  /** 镇（街道）团委 town / street committee */
  'town_committee',
  /** 开发区团工委 development-zone committee */
  'devzone_committee',
  /** 村团总支 village general branch */
  'village_branch',
  /** 社区团总支 community general branch */
  'community_branch',
  /** 网格团支部 grid branch */
  'grid_branch',
  /** 团支部 branch */
  'branch',
  /** 团小组 group */
  'group',
] as const;

export const NON_HIERARCHICAL_ORG_KINDS = [
  /** 行业团委 industry committee (couriers, e-commerce …) */
  'industry_committee',
  /** 商圈团委 business-district committee */
  'business_district_committee',
  /** 两新组织团委 "two-new" organisation committee */
  'two_new_committee',
  /** 联合团委 joint committee (e.g. of an industrial park) */
  'joint_committee',
  /** 青年社会组织 youth social organisation */
  'youth_social_org',
  /** 青年自组织 / 俱乐部 youth self-organisation or club */
  'youth_club',
  /** 团建联盟 alliance — groups orgs from anywhere in the district */
  'alliance',
  /** 共建单位 partner unit */
  'partner_unit',
] as const;

export const ORG_KINDS = [...HIERARCHICAL_ORG_KINDS, ...NON_HIERARCHICAL_ORG_KINDS] as const;
export type OrgKind = (typeof ORG_KINDS)[number];
export const OrgKindSchema = z.enum(ORG_KINDS);

export function isHierarchicalKind(kind: OrgKind): boolean {
  return (HIERARCHICAL_ORG_KINDS as readonly string[]).includes(kind);
}

/**
 * Which kinds may sit directly under which. Hierarchical kinds follow the League ladder;
 * non-hierarchical kinds sit under the hierarchical org that guides them (any level but a group).
 */
const ALLOWED_PARENTS: Record<OrgKind, readonly OrgKind[]> = {
  district_committee: [],
  town_committee: ['district_committee'],
  devzone_committee: ['district_committee'],
  village_branch: ['town_committee', 'devzone_committee'],
  community_branch: ['town_committee', 'devzone_committee'],
  grid_branch: ['village_branch', 'community_branch', 'town_committee', 'devzone_committee'],
  branch: [
    'district_committee',
    'town_committee',
    'devzone_committee',
    'village_branch',
    'community_branch',
    'grid_branch',
    'industry_committee',
    'business_district_committee',
    'two_new_committee',
    'joint_committee',
  ],
  group: ['branch', 'grid_branch'],
  industry_committee: GUIDING_KINDS(),
  business_district_committee: GUIDING_KINDS(),
  two_new_committee: GUIDING_KINDS(),
  joint_committee: GUIDING_KINDS(),
  youth_social_org: GUIDING_KINDS(),
  youth_club: GUIDING_KINDS(),
  alliance: GUIDING_KINDS(),
  partner_unit: GUIDING_KINDS(),
};

function GUIDING_KINDS(): OrgKind[] {
  return HIERARCHICAL_ORG_KINDS.filter((k) => k !== 'group');
}

/** True when an org of `kind` may be placed directly under an org of `parentKind`. */
export function canPlaceUnder(kind: OrgKind, parentKind: OrgKind): boolean {
  return ALLOWED_PARENTS[kind].includes(parentKind);
}

export function allowedParentKinds(kind: OrgKind): readonly OrgKind[] {
  return ALLOWED_PARENTS[kind];
}

/** Org names: trimmed, 1–100 characters, no control characters. HTML is kept as text and escaped on output. */
export const OrgNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^\p{Cc}]*$/u);

const OptionalText = (max: number) => z.string().trim().max(max).nullish();

export const OrgCreateSchema = z
  .object({
    parentId: z.number().int().positive(),
    kind: OrgKindSchema,
    name: OrgNameSchema,
    /** 书记 secretary's name */
    secretaryName: OptionalText(50),
    /** 联系方式 contact (office phone or address); personal mobiles live in the people registry */
    contact: OptionalText(100),
    description: OptionalText(1000),
  })
  .strict();
export type OrgCreate = z.infer<typeof OrgCreateSchema>;

export const OrgUpdateSchema = z
  .object({
    /** Moving: the new parent. The whole subtree moves with the org. */
    parentId: z.number().int().positive().optional(),
    name: OrgNameSchema.optional(),
    secretaryName: OptionalText(50),
    contact: OptionalText(100),
    description: OptionalText(1000),
    /** Deactivate (false) or reactivate (true). Orgs are never hard-deleted. */
    active: z.boolean().optional(),
  })
  .strict();
export type OrgUpdate = z.infer<typeof OrgUpdateSchema>;

export const OrgSchema = z.object({
  id: z.number().int(),
  districtId: z.number().int(),
  parentId: z.number().int().nullable(),
  kind: OrgKindSchema,
  name: z.string(),
  hierarchical: z.boolean(),
  depth: z.number().int(),
  secretaryName: z.string().nullable(),
  contact: z.string().nullable(),
  description: z.string().nullable(),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Org = z.infer<typeof OrgSchema>;

/** Roll-up counters of a tree node: each key counts that node's whole subtree (itself included). */
export const RollupCountsSchema = z.record(z.string(), z.number().int());

export type OrgTreeNode = {
  id: number;
  parentId: number | null;
  kind: OrgKind;
  name: string;
  hierarchical: boolean;
  active: boolean;
  counts: Record<string, number>;
  children: OrgTreeNode[];
};

export const OrgTreeNodeSchema: z.ZodType<OrgTreeNode> = z
  .lazy(() =>
    z.object({
      id: z.number().int(),
      parentId: z.number().int().nullable(),
      kind: OrgKindSchema,
      name: z.string(),
      hierarchical: z.boolean(),
      active: z.boolean(),
      counts: RollupCountsSchema,
      children: z.array(OrgTreeNodeSchema),
    }),
  )
  .meta({ id: 'OrgTreeNode' }); // recursive: named so the OpenAPI document can reference it

export const OrgTreeSchema = z.object({ roots: z.array(OrgTreeNodeSchema), total: z.number().int() });

/** 全省汇总 every district's root roll-up counters and their sum (platform admins: the province view). */
export const DistrictRollupsSchema = z.object({
  totals: z.record(z.string(), z.number().int()),
  districts: z.array(
    z.object({
      districtId: z.number().int(),
      name: z.string(),
      rootOrgId: z.number().int(),
      counts: z.record(z.string(), z.number().int()),
    }),
  ),
});

export const OrgListQuerySchema = z
  .object({
    districtId: z.coerce.number().int().positive().optional(),
    /** Name, full pinyin or pinyin initials ("kqjd" finds 柯桥街道) */
    q: z.string().trim().max(100).optional(),
    kind: OrgKindSchema.optional(),
    parentId: z.coerce.number().int().positive().optional(),
    active: z.enum(['true', 'false', 'all']).default('true'),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();

export const OrgListSchema = z.object({
  items: z.array(OrgSchema.extend({ parentName: z.string().nullable() })),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const AllianceMembersSchema = z.object({
  orgIds: z.array(z.number().int().positive()).max(1000),
});
export const AllianceMemberListSchema = z.object({
  items: z.array(z.object({ id: z.number().int(), name: z.string(), kind: OrgKindSchema })),
});
