// Handoff queue, symptoms dashboard and in-app notifications.
import type { z } from 'zod';
import type { Handoff, HandoffPage, HandoffStatus, Notification, NotificationPage, Symptoms } from '../../../src/contracts/handoff.ts';
import { get, post, qs } from './client.ts';

export type { Handoff, HandoffPage, HandoffStatus, Notification, NotificationPage, Symptoms };
export type HandoffWhyT = z.infer<typeof import('../../../src/contracts/handoff.ts').HandoffWhy>;

export interface HandoffParams {
  status?: HandoffStatus;
  owner?: 'me' | 'unassigned' | number;
  breached?: boolean;
  contactId?: number;
  limit?: number;
  cursor?: string | null;
}

export const handoffKeys = {
  all: ['handoffs'] as const,
  list: (p: HandoffParams) => ['handoffs', p] as const,
  symptoms: (months: number) => ['symptoms', months] as const,
  notifications: ['notifications'] as const,
};

export const listHandoffs = (p: HandoffParams) => get<HandoffPage>(`/handoffs${qs({ ...p })}`);
export const getHandoff = (id: number) => get<Handoff>(`/handoffs/${id}`);
export const acceptHandoff = (id: number, note?: string) => post<Handoff>(`/handoffs/${id}/accept`, note ? { note } : {});
export const rejectHandoff = (id: number, reason: string, disqualify: boolean) => post<Handoff>(`/handoffs/${id}/reject`, { reason, disqualify });
export const recycleHandoff = (id: number, reason: string) => post<Handoff>(`/handoffs/${id}/recycle`, { reason });
export const reassignHandoff = (id: number, ownerId: number) => post<Handoff>(`/handoffs/${id}/reassign`, { ownerId });
export const getSymptoms = (months = 12) => get<Symptoms>(`/lifecycle/symptoms${qs({ months })}`);

export const listNotifications = (limit = 20) => get<NotificationPage>(`/notifications${qs({ limit })}`);
export const markNotificationRead = (id: number) => post<Notification>(`/notifications/${id}/read`);
export const markAllNotificationsRead = () => post<{ marked: number }>('/notifications/read-all');
