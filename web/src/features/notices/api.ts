import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import type {
  AckResultSchema,
  InboxItem,
  NoticeDetailSchema,
  NoticeListSchema,
  NoticeSend,
  NoticeStreamEvent,
  ReachReport,
  TowerGapsSchema,
  TowerGroup,
} from '../../../../domain/notice.ts';
import { useDistrict } from '../../app/district.tsx';
import { api, type Page } from '../../lib/api.ts';

export type { InboxItem, NoticeStreamEvent, ReachReport, TowerGroup };
export type NoticeDetail = z.infer<typeof NoticeDetailSchema>;
export type NoticeListItem = z.infer<typeof NoticeListSchema>['items'][number];
export type AckResult = z.infer<typeof AckResultSchema>;
export type TowerGaps = z.infer<typeof TowerGapsSchema>;

export const noticeKeys = {
  all: ['notices'] as const,
  inbox: ['notices', 'inbox'] as const,
  sent: (districtId: number | undefined, page: number) => ['notices', 'sent', districtId ?? null, page] as const,
  report: (id: number) => ['notices', 'report', id] as const,
  detail: (id: number) => ['notices', 'detail', id] as const,
  settings: (districtId: number | undefined) => ['notices', 'settings', districtId ?? null] as const,
  towers: (districtId: number | undefined) => ['notices', 'towers', districtId ?? null] as const,
  gaps: (districtId: number | undefined) => ['notices', 'gaps', districtId ?? null] as const,
};

export function useInbox() {
  return useQuery({
    queryKey: noticeKeys.inbox,
    queryFn: () => api<{ items: InboxItem[]; pending: number }>('GET', '/api/notices/inbox', { query: { limit: 100 } }),
  });
}

export function useSentNotices(page: number, enabled: boolean) {
  const { districtId, canChoose } = useDistrict();
  return useQuery({
    queryKey: noticeKeys.sent(districtId, page),
    queryFn: () => api<Page<NoticeListItem>>('GET', '/api/notices', { query: { districtId, page, pageSize: 20 } }),
    enabled: enabled && (!canChoose || districtId !== undefined),
    placeholderData: keepPreviousData,
  });
}

export function useReport(id: number) {
  return useQuery({
    queryKey: noticeKeys.report(id),
    queryFn: () => api<ReachReport>('GET', `/api/notices/${id}/report`),
    // Live while it runs: the stream's ack events refresh it at once, this catches the rest.
    refetchInterval: 5000,
  });
}

export function useNoticeDetail(id: number) {
  return useQuery({ queryKey: noticeKeys.detail(id), queryFn: () => api<NoticeDetail>('GET', `/api/notices/${id}`) });
}

export function useNoticeSettings() {
  const { districtId, canChoose } = useDistrict();
  return useQuery({
    queryKey: noticeKeys.settings(districtId),
    queryFn: () =>
      api<{ districtId: number; urgentSeconds: number; generalSeconds: number }>('GET', '/api/notices/settings', {
        query: { districtId },
      }),
    enabled: !canChoose || districtId !== undefined,
    staleTime: 60_000,
  });
}

export function useSendNotice() {
  const client = useQueryClient();
  const { districtId } = useDistrict();
  return useMutation({
    mutationFn: (input: Omit<NoticeSend, 'attachments' | 'districtId'>) =>
      api<NoticeDetail>('POST', '/api/notices', { body: { ...input, districtId } }),
    onSuccess: () => client.invalidateQueries({ queryKey: noticeKeys.all }),
  });
}

export function useCorrectNotice() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, title, body }: { id: number; title: string; body: string }) =>
      api<NoticeDetail>('POST', `/api/notices/${id}/corrections`, { body: { title, body } }),
    onSuccess: () => client.invalidateQueries({ queryKey: noticeKeys.all }),
  });
}

export function useAcknowledge() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ targetId, reply }: { targetId: number; reply?: { text: string } }) =>
      api<AckResult>('POST', `/api/notices/targets/${targetId}/ack`, { body: { channel: 'web', reply } }),
    onSuccess: () => client.invalidateQueries({ queryKey: noticeKeys.inbox }),
  });
}

export function useTowerGroups(enabled: boolean) {
  const { districtId, canChoose } = useDistrict();
  return useQuery({
    queryKey: noticeKeys.towers(districtId),
    queryFn: () => api<Page<TowerGroup>>('GET', '/api/notices/towers', { query: { districtId, pageSize: 500 } }),
    enabled: enabled && (!canChoose || districtId !== undefined),
  });
}

export function useTowerGaps(enabled: boolean) {
  const { districtId, canChoose } = useDistrict();
  return useQuery({
    queryKey: noticeKeys.gaps(districtId),
    queryFn: () => api<TowerGaps>('GET', '/api/notices/towers/gaps', { query: { districtId, limit: 500 } }),
    enabled: enabled && (!canChoose || districtId !== undefined),
  });
}

export function useSaveTowerGroup() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: Record<string, unknown>) => api<TowerGroup>('POST', '/api/notices/towers', { body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: noticeKeys.all }),
  });
}

export function useDeactivateTowerGroup() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api<TowerGroup>('DELETE', `/api/notices/towers/${id}`),
    onSuccess: () => client.invalidateQueries({ queryKey: noticeKeys.all }),
  });
}

/**
 * The live event stream (server-sent events, reconnecting by itself). Every event refreshes the
 * inbox and the open reports; the handler sees each event too (urgent modal, escalation toast).
 */
export function useNoticeStream(onEvent: (event: NoticeStreamEvent) => void): 'connecting' | 'open' {
  const client = useQueryClient();
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const [state, setState] = useState<'connecting' | 'open'>('connecting');
  useEffect(() => {
    const source = new EventSource('/api/notices/stream');
    const receive = (message: MessageEvent) => {
      const event = JSON.parse(message.data) as NoticeStreamEvent;
      if (event.type === 'ready') setState('open');
      if (event.type === 'notice') client.invalidateQueries({ queryKey: noticeKeys.inbox });
      if (event.type === 'ack') client.invalidateQueries({ queryKey: noticeKeys.report(event.noticeId) });
      handler.current(event);
    };
    for (const type of ['ready', 'notice', 'ack', 'escalation']) source.addEventListener(type, receive);
    source.onerror = () => setState('connecting');
    return () => source.close();
  }, [client]);
  return state;
}

/** A short alarm through WebAudio (three beeps); silently nothing where audio is not allowed. */
export function playAlarm(): void {
  try {
    const Ctx =
      window.AudioContext ?? (window as unknown as { webkitAudioContext: typeof AudioContext }).webkitAudioContext;
    const ctx = new Ctx();
    for (let i = 0; i < 3; i++) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'square';
      osc.frequency.value = 880;
      gain.gain.value = 0.15;
      osc.connect(gain).connect(ctx.destination);
      const start = ctx.currentTime + i * 0.35;
      osc.start(start);
      osc.stop(start + 0.2);
    }
    setTimeout(() => ctx.close().catch(() => {}), 1500);
  } catch {
    // no audio here (autoplay policy, no device): the modal still shows
  }
}
