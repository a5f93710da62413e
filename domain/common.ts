import { z } from 'zod';

export const IdParamSchema = z.object({ id: z.coerce.number().int().positive().max(2147483647) });

/** RFC 9457 problem details, as every error of the API is answered. */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string(),
  detail: z.string().optional(),
  errors: z
    .array(z.object({ field: z.string(), message: z.string() }))
    .optional()
    .describe('Every field that was wrong, with a message in the request language'),
});
export type Problem = z.infer<typeof ProblemSchema>;

export const OkSchema = z.object({ ok: z.literal(true) });

export const HealthSchema = z.object({
  status: z.literal('ok'),
  database: z.enum(['pglite', 'postgresql']),
  migration: z.string(),
  postgis: z.string().nullable(),
  version: z.string(),
});

export const DistrictSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  rootOrgId: z.number().int(),
  createdAt: z.string(),
});
export const DistrictCreateSchema = z
  .object({
    /** 行政区划代码 administrative division code, 6 digits */
    code: z.string().regex(/^\d{6}$/),
    /** At most 94 characters: the root org is named 共青团{name}委员会 and org names hold 100. */
    name: z.string().trim().min(1).max(94),
  })
  .strict();
export const DistrictListSchema = z.object({ items: z.array(DistrictSchema) });

export const AuditEntrySchema = z.object({
  id: z.number().int(),
  districtId: z.number().int().nullable(),
  accountId: z.number().int().nullable(),
  username: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  ip: z.string().nullable(),
  at: z.string(),
});
export const AuditQuerySchema = z
  .object({
    districtId: z.coerce.number().int().positive().optional(),
    action: z.string().max(100).optional(),
    entity: z.string().max(100).optional(),
    entityId: z.string().max(100).optional(),
    username: z.string().max(100).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();
export const AuditListSchema = z.object({
  items: z.array(AuditEntrySchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
