import { z } from 'zod';
import { CaptchaAnswerSchema } from './captcha.ts';
import { COORD_SYSTEMS } from './geo.ts';
import { DateInputSchema, IdNumberInputSchema, PhoneInputSchema } from './person.ts';

/**
 * Contracts of the 二维报到 phone page beyond the form itself (domain/person.ts QrRegisterSchema):
 * the grid suggested from the phone's position, and the one-tap confirm of a person already in the registry.
 */

/** 定位推荐网格: the phone's position, as the browser (WGS-84) or WeChat / AMap (GCJ-02) reports it. */
export const QrLocateSchema = z
  .object({
    lng: z.number().min(-180).max(180),
    lat: z.number().min(-90).max(90),
    coordSystem: z.enum(COORD_SYSTEMS).default('wgs84'),
  })
  .strict();

/** Grids farther than this from the position are not suggested. */
export const SUGGEST_MAX_METERS = 500;

export const QrLocateResultSchema = z.object({
  /** the grid of the code's org subtree that contains the position, else the nearest within 500 m, else null */
  grid: z
    .object({
      id: z.number().int(),
      name: z.string(),
      orgName: z.string(),
      /** true: the position lies inside the grid's boundary */
      inside: z.boolean(),
      /** metres from the position to the boundary (0 inside) */
      distanceMeters: z.number().int(),
    })
    .nullable(),
});

/**
 * 老用户一键确认: who a known person is — the phone plus a second factor that must belong to the same
 * person (the ID number, or the birth date). Never the phone alone (see registrations.service.ts).
 */
const KnownPersonFields = {
  phone: PhoneInputSchema,
  idNumber: IdNumberInputSchema.nullish(),
  birthDate: DateInputSchema.nullish(),
  captcha: CaptchaAnswerSchema.optional(),
};
const needsSecondFactor = (v: { idNumber?: string | null; birthDate?: string | null }, ctx: z.RefinementCtx) => {
  if (!v.idNumber && !v.birthDate)
    ctx.addIssue({ code: 'custom', path: ['birthDate'], message: 'person.birthDateRequired' });
};

export const QrIdentifySchema = z.object(KnownPersonFields).strict().superRefine(needsSecondFactor);
export type QrIdentify = z.infer<typeof QrIdentifySchema>;

export const QrIdentifyResultSchema = z.object({
  /** false: no registered person has this phone with this ID number / birth date — fill in the form */
  known: z.boolean(),
  /** the masked name (张*), to recognise oneself */
  maskedName: z.string().nullable(),
  /** already registered in this code's grid (grid codes) — nothing to confirm */
  alreadyHere: z.boolean(),
});

export const QrConfirmSchema = z
  .object({
    ...KnownPersonFields,
    /** an org code: the grid chosen on the page (e.g. the suggested one) */
    gridId: z.number().int().positive().optional(),
    consent: z.literal(true),
    consentVersion: z.string().trim().min(1).max(20),
    submissionId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
  })
  .strict()
  .superRefine(needsSecondFactor);
export type QrConfirm = z.infer<typeof QrConfirmSchema>;
