import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { Account } from '../../../../domain/account.ts';
import type {
  AssessmentResultSchema,
  Band,
  IndicatorSetDefinition,
  IndicatorSetSchema,
  RoundDetailSchema,
  RoundResultsSchema,
  RoundSchema,
  ScoreListSchema,
} from '../../../../domain/assessment.ts';
import { useDistrict } from '../../app/district.tsx';
import { api, type Page } from '../../lib/api.ts';

export type IndicatorSet = z.infer<typeof IndicatorSetSchema>;
export type Round = z.infer<typeof RoundSchema>;
/** One round with the definition of its set (GET /api/assessments/rounds/:id). */
export type RoundDetail = z.infer<typeof RoundDetailSchema>;
export type RoundResults = z.infer<typeof RoundResultsSchema>;
export type AssessmentResultView = z.infer<typeof AssessmentResultSchema>;
export type ScoreList = z.infer<typeof ScoreListSchema>;

/** Tag colours of the result bands (very good green, acceptable gold, weak red). */
export const BAND_COLORS: Record<Band, string> = { very_good: 'green', acceptable: 'gold', weak: 'red' };
/** The same colours as hex, for the chart. */
export const BAND_HEX: Record<Band, string> = { very_good: '#52c41a', acceptable: '#faad14', weak: '#f5222d' };

export const assessmentKeys = {
  all: ['assessments'] as const,
  template: ['assessments', 'template'] as const,
  sets: (districtId: number | undefined) => ['assessments', 'sets', districtId ?? null] as const,
  rounds: (districtId: number | undefined) => ['assessments', 'rounds', districtId ?? null] as const,
  round: (id: number) => ['assessments', 'round', id] as const,
  scores: (id: number, orgId: number) => ['assessments', 'scores', id, orgId] as const,
  results: (id: number) => ['assessments', 'results', id] as const,
  assessors: (districtId: number | undefined) => ['assessments', 'assessor-accounts', districtId ?? null] as const,
};

/** True when the district is known (a platform admin must have chosen one). */
function useDistrictReady() {
  const { districtId, canChoose } = useDistrict();
  return { districtId, ready: !canChoose || districtId !== undefined };
}

export function useTemplate(enabled = true) {
  return useQuery({
    queryKey: assessmentKeys.template,
    queryFn: () => api<IndicatorSetDefinition>('GET', '/api/assessments/template'),
    staleTime: Number.POSITIVE_INFINITY,
    enabled,
  });
}

export function useSets(enabled = true) {
  const { districtId, ready } = useDistrictReady();
  return useQuery({
    queryKey: assessmentKeys.sets(districtId),
    queryFn: () => api<{ items: IndicatorSet[] }>('GET', '/api/assessments/sets', { query: { districtId } }),
    enabled: enabled && ready,
    staleTime: 30_000,
  });
}

export function useRounds() {
  const { districtId, ready } = useDistrictReady();
  return useQuery({
    queryKey: assessmentKeys.rounds(districtId),
    queryFn: () => api<{ items: Round[] }>('GET', '/api/assessments/rounds', { query: { districtId } }),
    enabled: ready,
  });
}

export function useRound(id: number) {
  const { districtId, ready } = useDistrictReady();
  return useQuery({
    queryKey: assessmentKeys.round(id),
    queryFn: () => api<RoundDetail>('GET', `/api/assessments/rounds/${id}`, { query: { districtId } }),
    enabled: ready && Number.isInteger(id) && id > 0,
  });
}

export function useMyScores(id: number, orgId: number | undefined) {
  const { districtId, ready } = useDistrictReady();
  return useQuery({
    queryKey: assessmentKeys.scores(id, orgId ?? 0),
    queryFn: () => api<ScoreList>('GET', `/api/assessments/rounds/${id}/scores`, { query: { districtId, orgId } }),
    enabled: ready && orgId !== undefined,
  });
}

export function useResults(id: number) {
  const { districtId, ready } = useDistrictReady();
  return useQuery({
    queryKey: assessmentKeys.results(id),
    queryFn: () => api<RoundResults>('GET', `/api/assessments/rounds/${id}/results`, { query: { districtId } }),
    enabled: ready && Number.isInteger(id) && id > 0,
  });
}

/** Accounts that may be named assessors (the caller's scope, up to 500). */
export function useAssessorAccounts(enabled: boolean) {
  const { districtId, ready } = useDistrictReady();
  return useQuery({
    queryKey: assessmentKeys.assessors(districtId),
    queryFn: () => api<Page<Account>>('GET', '/api/accounts', { query: { districtId, pageSize: 500 } }),
    enabled: enabled && ready,
    staleTime: 30_000,
  });
}

/** Whether scoring is still possible: open and before the deadline. */
export function isRoundOpen(round: Pick<Round, 'status' | 'deadline'>, now = Date.now()): boolean {
  return round.status === 'open' && new Date(round.deadline).getTime() >= now;
}

export function formatMean(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : value.toFixed(2);
}
