import { z } from 'zod';

/**
 * 件件有回音 reminder delivery: every reminder of an overdue order goes out once to the cadres of the
 * assigned org (SMS and WeChat template message), and — at the completion deadline, or when the
 * assigned org has no cadre account — escalates to the district's admins.
 */
export const REMINDER_CHANNELS = ['sms', 'wechat'] as const;
export type ReminderChannel = (typeof REMINDER_CHANNELS)[number];
export const REMINDER_PURPOSES = ['assignee', 'escalation'] as const;
export type ReminderPurpose = (typeof REMINDER_PURPOSES)[number];
export const REMINDER_DELIVERY_STATUSES = ['sent', 'recorded', 'failed'] as const;

/** Whether a reminder escalates to the district: the completion deadline, or nobody to tell at the assignee. */
export function escalates(kind: 'respond' | 'complete', assigneeAccounts: number): boolean {
  return kind === 'complete' || assigneeAccounts === 0;
}

/** The message text (no personal data: the tracking number and the org, never the requester). */
export function reminderText(
  purpose: ReminderPurpose,
  kind: 'respond' | 'complete',
  trackingNo: string,
  orgName: string | null,
): string {
  if (purpose === 'escalation') {
    return `【经纬】督办：${orgName ?? '承办单位'}承办的工单${trackingNo}已超过${kind === 'respond' ? '响应' : '办结'}时限，请督促落实。`;
  }
  return kind === 'respond'
    ? `【经纬】工单${trackingNo}已超过响应时限，请尽快登录经纬平台接单或退回。`
    : `【经纬】工单${trackingNo}已超过办结时限，请尽快办结并登记完成情况。`;
}

export const ReminderDeliverySchema = z.object({
  id: z.number().int(),
  reminderKind: z.enum(['respond', 'complete']),
  dispatchNo: z.number().int(),
  channel: z.enum(REMINDER_CHANNELS),
  purpose: z.enum(REMINDER_PURPOSES),
  account: z.object({ id: z.number().int(), name: z.string() }),
  status: z.enum(REMINDER_DELIVERY_STATUSES),
  detail: z.string().nullable(),
  at: z.string(),
});
export const ReminderDeliveryListSchema = z.object({ items: z.array(ReminderDeliverySchema) });
