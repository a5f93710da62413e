import { z } from 'zod';
import { MobileSchema, ORDER_CATEGORIES, type OrderCategory, type OrderStatus } from './order.ts';

/**
 * Open311 GeoReport v2 (JSON) over our orders; the mapping is documented in docs/OPEN311.md.
 * service_code = an order category (`education`) or a menu item (`menu-12`); service_request_id =
 * the tracking number; jurisdiction_id = the district id.
 */

export const CATEGORY_NAMES: Record<OrderCategory, { 'zh-CN': string; en: string }> = {
  livelihood: { 'zh-CN': '社会民生', en: 'Livelihood' },
  education: { 'zh-CN': '教育培训', en: 'Education and tutoring' },
  care: { 'zh-CN': '心理关爱', en: 'Counselling and care' },
  legal: { 'zh-CN': '法律咨询', en: 'Legal advice' },
  employment: { 'zh-CN': '就业创业', en: 'Jobs and start-ups' },
  culture: { 'zh-CN': '文体活动', en: 'Culture and sports' },
  environment: { 'zh-CN': '环境治理', en: 'Environment' },
  safety: { 'zh-CN': '平安志愿', en: 'Safety and volunteering' },
  other: { 'zh-CN': '其他', en: 'Other' },
};

const OPEN_STATUSES: readonly OrderStatus[] = [
  'submitted',
  'classified',
  'dispatched',
  'accepted',
  'in_progress',
  'returned',
];

/** Open311 knows two statuses: ours map to open until the service is done, rejected or cancelled. */
export function open311Status(status: OrderStatus): 'open' | 'closed' {
  return OPEN_STATUSES.includes(status) ? 'open' : 'closed';
}
export function statusesOf(open311: 'open' | 'closed'): OrderStatus[] {
  const closed: OrderStatus[] = ['done', 'rated', 'rejected', 'cancelled'];
  return open311 === 'open' ? [...OPEN_STATUSES] : closed;
}

export const MENU_CODE_RE = /^menu-(\d{1,9})$/;
export type ParsedServiceCode = { kind: 'category'; category: OrderCategory } | { kind: 'menu'; menuItemId: number };
export function parseServiceCode(code: string): ParsedServiceCode | null {
  if ((ORDER_CATEGORIES as readonly string[]).includes(code))
    return { kind: 'category', category: code as OrderCategory };
  const m = MENU_CODE_RE.exec(code);
  return m ? { kind: 'menu', menuItemId: Number(m[1]) } : null;
}

/** The text of a request's title: the first line of the description, or the service's name. */
export function titleOf(description: string | undefined, serviceName: string): string {
  const first = (description ?? '').split(/\r?\n/)[0]?.trim() ?? '';
  if (!first) return serviceName;
  return first.length > 60 ? `${first.slice(0, 59)}…` : first;
}

const JurisdictionSchema = z.coerce.number().int().positive().max(2_147_483_647);
const ApiKeySchema = z.string().trim().min(16).max(128);

export const Open311JurisdictionQuerySchema = z.object({ jurisdiction_id: JurisdictionSchema }).strict();
export const Open311CodeParamSchema = z.object({ code: z.string().max(40) }).strict();
export const Open311IdParamSchema = z.object({ id: z.string().trim().toUpperCase().max(40) }).strict();

export const Open311ServiceSchema = z.object({
  service_code: z.string(),
  service_name: z.string(),
  description: z.string(),
  metadata: z.boolean(),
  type: z.enum(['realtime', 'batch', 'blackbox']),
  keywords: z.string(),
  group: z.string(),
});
export const Open311ServiceListSchema = z.array(Open311ServiceSchema);
export const Open311ServiceDefinitionSchema = z.object({
  service_code: z.string(),
  attributes: z.array(z.object({ code: z.string() })),
});

export const Open311RequestsQuerySchema = z
  .object({
    jurisdiction_id: JurisdictionSchema,
    api_key: ApiKeySchema.optional(),
    /** comma-separated tracking numbers */
    service_request_id: z.string().trim().max(2000).optional(),
    service_code: z.string().max(40).optional(),
    start_date: z.iso.datetime({ offset: true }).optional(),
    end_date: z.iso.datetime({ offset: true }).optional(),
    status: z.enum(['open', 'closed']).optional(),
  })
  .strict();
export const Open311RequestQuerySchema = z
  .object({ jurisdiction_id: JurisdictionSchema, api_key: ApiKeySchema.optional() })
  .strict();

const optionalText = (max: number) => z.string().trim().max(max).optional();
/** POST requests.json: form-encoded (the spec) or JSON; every value arrives as text. */
export const Open311RequestCreateSchema = z
  .object({
    jurisdiction_id: JurisdictionSchema,
    api_key: ApiKeySchema,
    service_code: z.string().max(40),
    lat: z.coerce.number().min(3).max(54).optional(),
    long: z.coerce.number().min(73).max(136).optional(),
    address_string: optionalText(200),
    address_id: optionalText(100),
    email: optionalText(200),
    device_id: optionalText(100),
    account_id: optionalText(100),
    first_name: optionalText(25),
    last_name: optionalText(25),
    phone: MobileSchema,
    description: optionalText(2000),
    media_url: optionalText(500),
  })
  .strict()
  .refine((v) => (v.lat === undefined) === (v.long === undefined), { message: 'open311.latLong', path: ['long'] })
  .refine((v) => !!(v.first_name || v.last_name), { message: 'required', path: ['first_name'] });

export const Open311RequestSchema = z.object({
  service_request_id: z.string(),
  status: z.enum(['open', 'closed']),
  status_notes: z.string().nullable(),
  service_name: z.string(),
  service_code: z.string(),
  description: z.string(),
  agency_responsible: z.string().nullable(),
  service_notice: z.string().nullable(),
  requested_datetime: z.string(),
  updated_datetime: z.string(),
  expected_datetime: z.string().nullable(),
  address: z.string().nullable(),
  address_id: z.string().nullable(),
  zipcode: z.string().nullable(),
  lat: z.number().nullable(),
  long: z.number().nullable(),
  media_url: z.string().nullable(),
});
export const Open311RequestListSchema = z.array(Open311RequestSchema);
export const Open311CreatedSchema = z.array(
  z.object({ service_request_id: z.string(), service_notice: z.string(), account_id: z.string().nullable() }),
);

// ── api keys (console) ────────────────────────────────────────────────────────────────────────

export const Open311ClientSchema = z.object({
  id: z.number().int(),
  districtId: z.number().int(),
  name: z.string(),
  source: z.enum(['resident', 'youth_voice']),
  active: z.boolean(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
export const Open311ClientListSchema = z.object({ items: z.array(Open311ClientSchema) });
export const Open311ClientCreateSchema = z
  .object({
    districtId: z.number().int().positive().optional(),
    name: z.string().trim().min(1).max(100),
    source: z.enum(['resident', 'youth_voice']).default('youth_voice'),
  })
  .strict();
/** The key is shown once, when created; only its SHA-256 is stored. */
export const Open311ClientCreatedSchema = Open311ClientSchema.extend({ apiKey: z.string() });
export const Open311ClientListQuerySchema = z
  .object({ districtId: z.coerce.number().int().positive().optional() })
  .strict();
