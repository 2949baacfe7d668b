// HTTP routes of in-app notifications: each user reads and marks their own.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, IdParam } from '../../contracts/common.ts';
import { Notification, NotificationListQuery, NotificationPage } from '../../contracts/handoff.ts';
import { ctxFor } from '../../http/ctx.ts';
import { listNotifications, markAllNotificationsRead, markNotificationRead } from './notifications.ts';

export async function notificationRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['notifications'];
  app.get(
    '/notifications',
    {
      config: { permission: 'session' },
      schema: { tags, summary: 'My notifications, newest first, with the unread count', querystring: NotificationListQuery, response: { 200: NotificationPage, ...errorResponses } },
    },
    async (req) => listNotifications({ ctx: ctxFor(req), input: req.query }),
  );
  app.post(
    '/notifications/:id/read',
    { config: { permission: 'session' }, schema: { tags, summary: 'Mark one of my notifications read', params: IdParam, response: { 200: Notification, ...errorResponses } } },
    async (req) => markNotificationRead({ ctx: ctxFor(req), input: { id: req.params.id } }),
  );
  app.post(
    '/notifications/read-all',
    { config: { permission: 'session' }, schema: { tags, summary: 'Mark all my notifications read', response: { 200: z.object({ marked: z.number().int() }), ...errorResponses } } },
    async (req) => markAllNotificationsRead({ ctx: ctxFor(req) }),
  );
}
