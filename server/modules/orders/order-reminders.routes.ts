import fp from 'fastify-plugin';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParamSchema } from '../../../domain/common.ts';
import { ReminderDeliveryListSchema } from '../../../domain/order-reminders.ts';
import { piiCipherFor } from '../../lib/crypto.ts';
import { DevLogReminderAdapter, reminderChannelsFromConfig } from './order-reminders.channels.ts';
import { deliverDueReminders, listReminderDeliveries, type ReminderRuntime } from './order-reminders.service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    orderReminders: ReminderRuntime & { dev: DevLogReminderAdapter };
  }
}

/**
 * 件件有回音 delivery: the job queue's tick hands undelivered reminders to SMS and WeChat (once each,
 * see order-reminders.service.ts); cadres who see an order read its deliveries.
 */
const orderReminderRoutesPlugin: FastifyPluginAsyncZod = async (app) => {
  const dev = new DevLogReminderAdapter(app.log);
  const rt = { database: app.database, channels: reminderChannelsFromConfig(app.config, dev), log: app.log, dev };
  // Not encapsulated: the tests read the development adapter.
  app.decorate('orderReminders', rt);
  app.jobs.addTickTask(async () => {
    await deliverDueReminders(rt);
  });

  app.get(
    '/api/orders/:id/reminder-deliveries',
    {
      schema: {
        tags: ['orders'],
        description:
          '件件有回音: the SMS and WeChat deliveries of the order’s deadline reminders (to the assignee’s cadres; at the completion deadline also to the district).',
        params: IdParamSchema,
        response: { 200: ReminderDeliveryListSchema },
      },
    },
    async (req) =>
      listReminderDeliveries(app.database, piiCipherFor(app.config.dataDir, app.log), req.actor(), req.params.id),
  );
};

export const orderReminderRoutes = fp(orderReminderRoutesPlugin, { name: 'order-reminders' });
