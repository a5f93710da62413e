import { sql } from 'drizzle-orm';
import { escalates, REMINDER_CHANNELS, type ReminderPurpose, reminderText } from '../../../domain/order-reminders.ts';
import type { Database } from '../../db/client.ts';
import { type Executor, iso, many } from '../../db/sql.ts';
import type { Actor } from '../../lib/actor.ts';
import type { PiiCipher } from '../../lib/crypto.ts';
import type { ReminderChannelSet } from './order-reminders.channels.ts';
import { getOrder } from './orders.service.ts';

/**
 * 件件有回音, delivery: the deadline job records a reminder (orders-more.service.ts, unique per order,
 * kind and dispatch); this outbox, run on every tick of the job queue, hands each reminder not yet
 * delivered to the channels and marks it delivered **in the same transaction**. Reminders are taken
 * `FOR UPDATE SKIP LOCKED`, so two app servers never take the same one, and a delivered reminder is
 * never taken again; one row per reminder, account and channel (unique) backs it. Recipients: the
 * active cadre accounts of the assigned org; at the completion deadline (or when that org has no
 * cadre account) also the district's admins (escalation). A channel that throws leaves its row
 * `failed` with the error — the reminder still counts as delivered (no resend storm).
 *
 * *Seam*: reads `accounts` and `orgs` directly, like the notices' receipts.
 */

type Log = { warn(obj: unknown, msg?: string): void };
export type ReminderRuntime = { database: Database; channels: ReminderChannelSet; log?: Log };

const CADRE_ROLES = sql`('org_admin', 'grid_leader', 'team_leader')`;

async function takeUndelivered(ex: Executor, limit: number) {
  return many<{
    id: number;
    district_id: number;
    order_id: number;
    org_id: number | null;
    kind: 'respond' | 'complete';
    tracking_no: string;
    org_name: string | null;
  }>(
    ex,
    sql`SELECT r.id, r.district_id, r.order_id, r.org_id, r.kind, o.tracking_no, og.name AS org_name
        FROM service_order_reminders r
        JOIN service_orders o ON o.id = r.order_id
        LEFT JOIN orgs og ON og.id = r.org_id
        WHERE r.delivered_at IS NULL ORDER BY r.id LIMIT ${limit} FOR UPDATE OF r SKIP LOCKED`,
  );
}

async function recipientsOf(
  ex: Executor,
  r: { district_id: number; org_id: number | null; kind: 'respond' | 'complete' },
) {
  const assignees = r.org_id
    ? await many<{ id: number; username: string }>(
        ex,
        sql`SELECT id, username FROM accounts WHERE org_id = ${r.org_id} AND active AND role IN ${CADRE_ROLES} ORDER BY id`,
      )
    : [];
  const out: { id: number; username: string; purpose: ReminderPurpose }[] = assignees.map((a) => ({
    ...a,
    purpose: 'assignee',
  }));
  if (escalates(r.kind, assignees.length)) {
    const district = await many<{ id: number; username: string }>(
      ex,
      sql`SELECT id, username FROM accounts WHERE district_id = ${r.district_id} AND active AND role = 'district_admin'
          ORDER BY id`,
    );
    for (const a of district) if (!out.some((o) => o.id === a.id)) out.push({ ...a, purpose: 'escalation' });
  }
  return out;
}

/** Delivers every reminder not delivered yet (batches of 20, each in one transaction). Returns how many. */
export async function deliverDueReminders(rt: ReminderRuntime, batch = 20): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await rt.database.db.transaction(async (tx) => {
      const reminders = await takeUndelivered(tx, batch);
      for (const r of reminders) {
        for (const to of await recipientsOf(tx, r)) {
          const text = reminderText(to.purpose, r.kind, r.tracking_no, r.org_name);
          for (const channel of REMINDER_CHANNELS) {
            const [row] = await many<{ id: number }>(
              tx,
              sql`INSERT INTO service_order_reminder_deliveries (district_id, reminder_id, order_id, account_id, channel, purpose, status, detail)
                  VALUES (${r.district_id}, ${r.id}, ${r.order_id}, ${to.id}, ${channel}, ${to.purpose}, 'failed', 'sending')
                  ON CONFLICT (reminder_id, account_id, channel) DO NOTHING RETURNING id`,
            );
            if (!row) continue;
            let status: string;
            let detail: string;
            try {
              const outcome = await rt.channels[channel].send({
                deliveryId: row.id,
                channel,
                accountId: to.id,
                username: to.username,
                text,
                trackingNo: r.tracking_no,
              });
              status = outcome.status;
              detail = outcome.detail;
            } catch (err) {
              rt.log?.warn({ err, delivery: row.id }, 'order reminder delivery failed');
              status = 'failed';
              detail = String((err as Error)?.message ?? err);
            }
            await tx.execute(sql`UPDATE service_order_reminder_deliveries SET status = ${status},
              detail = ${detail.slice(0, 1000)} WHERE id = ${row.id}`);
          }
        }
        await tx.execute(sql`UPDATE service_order_reminders SET delivered_at = now() WHERE id = ${r.id}`);
      }
      return reminders.length;
    });
    total += n;
    if (n < batch) return total;
  }
}

/** The deliveries of an order's reminders, for whoever sees the order (same check and audit as the order). */
export async function listReminderDeliveries(database: Database, pii: PiiCipher, actor: Actor, orderId: number) {
  await getOrder(database, pii, actor, orderId);
  return { items: await deliveriesOf(database.db, orderId) };
}

async function deliveriesOf(ex: Executor, orderId: number) {
  const rows = await many<any>(
    ex,
    sql`SELECT d.id, r.kind, r.dispatch_no, d.channel, d.purpose, d.account_id, a.display_name, d.status, d.detail,
               d.created_at
        FROM service_order_reminder_deliveries d
        JOIN service_order_reminders r ON r.id = d.reminder_id
        JOIN accounts a ON a.id = d.account_id
        WHERE d.order_id = ${orderId} ORDER BY d.id`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    reminderKind: r.kind,
    dispatchNo: Number(r.dispatch_no),
    channel: r.channel,
    purpose: r.purpose,
    account: { id: Number(r.account_id), name: r.display_name as string },
    status: r.status,
    detail: r.detail as string | null,
    at: iso(r.created_at),
  }));
}
