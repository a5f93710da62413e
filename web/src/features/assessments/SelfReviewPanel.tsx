import { CheckOutlined, SaveOutlined, SendOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Affix, Alert, App, Button, Card, Empty, Grid, Input, Radio, Select, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import type { z } from 'zod';
import { SCALE_MAX, SCALE_MIN, type SelfReviewSchema } from '../../../../domain/assessment.ts';
import { useDistrict } from '../../app/district.tsx';
import { useApiError } from '../../components/useApiError.ts';
import { api } from '../../lib/api.ts';
import { formatTime } from '../../lib/i18n.ts';
import { useCan, useSession } from '../auth/session.ts';
import { assessmentKeys, isRoundOpen, type RoundDetail } from './api.ts';
import { BackLink, useScaleLabel } from './ScoringPage.tsx';

type SelfReview = z.infer<typeof SelfReviewSchema>;
type Draft = { score: number | null; note: string; evidence: string };
type ReviewDraft = { score: number | null; note: string };

const POINTS = Array.from({ length: SCALE_MAX - SCALE_MIN + 1 }, (_, i) => SCALE_MIN + i);
const STATE_COLORS = { pending: 'default', self_submitted: 'gold', reviewed: 'green' } as const;

/**
 * 自评 + 审核 on the phone or the desktop: the assessed org's own cadre scores his org (draft, then
 * submit); a district reviewer of the round sees each org's self scores and accepts or adjusts
 * every item with a note. Everyone else who may see it reads self, reviewed and the difference.
 */
export function SelfReviewPanel({ round }: { round: RoundDetail }) {
  const { t } = useTranslation();
  const me = useSession();
  const { districtId } = useDistrict();
  const canManage = useCan('assessment.manage');
  const isReviewer = round.assessors.some((a) => a.id === me.account.id);
  const orgs = isReviewer || canManage ? round.orgs : round.orgs.filter((o) => o.id === me.account.orgId);
  const [params, setParams] = useSearchParams();
  const orgParam = Number(params.get('org'));
  const orgId = orgs.some((o) => o.id === orgParam) ? orgParam : orgs[0]?.id;
  const screens = Grid.useBreakpoint();
  const queryKey = ['assessments', 'self', round.id, orgId ?? 0] as const;
  const self = useQuery({
    queryKey,
    queryFn: () => api<SelfReview>('GET', `/api/assessments/rounds/${round.id}/self`, { query: { districtId, orgId } }),
    enabled: orgId !== undefined,
  });
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [reviews, setReviews] = useState<Record<string, ReviewDraft>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const { message, modal } = App.useApp();
  const showError = useApiError();
  const client = useQueryClient();
  const scaleLabel = useScaleLabel();

  // a new org or a fresh answer from the server starts from what is stored
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset per org and per stored version
  useEffect(() => {
    setDrafts({});
    setReviews({});
  }, [orgId, self.data?.state]);

  const header = (
    <Card size={screens.md ? 'default' : 'small'}>
      <Space direction="vertical" size={8} style={{ width: '100%' }}>
        <BackLink />
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('insights.self.title', { name: round.name })}
        </Typography.Title>
        <Typography.Text type="secondary">
          {round.period} · {round.setName} · <Tag>{t('insights.mode.tag.self_review')}</Tag>
        </Typography.Text>
        {orgs.length > 0 && (
          <div>
            <Typography.Text strong>{t('insights.self.org')}</Typography.Text>
            <Select
              showSearch
              optionFilterProp="label"
              value={orgId}
              onChange={(id) => setParams({ org: String(id) }, { replace: true })}
              options={orgs.map((o) => ({ value: o.id, label: `${o.name} · ${t(`insights.state.${o.state}`)}` }))}
              style={{ width: '100%', maxWidth: 420, display: 'block', marginTop: 4 }}
              data-testid="self-org-select"
            />
          </div>
        )}
        {self.data && (
          <Space wrap size={4}>
            <Tag color={STATE_COLORS[self.data.state]} data-testid="self-state" data-state={self.data.state}>
              {t(`insights.state.${self.data.state}`)}
            </Tag>
            {self.data.selfSubmittedAt && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('insights.self.submittedBy', {
                  name: self.data.selfSubmittedBy ?? '',
                  at: formatTime(self.data.selfSubmittedAt),
                })}
              </Typography.Text>
            )}
            {self.data.reviewedAt && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('insights.self.reviewedBy', {
                  name: self.data.reviewedBy ?? '',
                  at: formatTime(self.data.reviewedAt),
                })}
              </Typography.Text>
            )}
          </Space>
        )}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('insights.self.counts')}
        </Typography.Text>
      </Space>
    </Card>
  );

  if (orgs.length === 0 || orgId === undefined) {
    return (
      <Space direction="vertical" style={{ width: '100%' }} data-testid="self-review-page">
        {header}
        <Empty description={t('insights.self.noOrg')} />
      </Space>
    );
  }
  const data = self.data;
  const stored = new Map((data?.items ?? []).map((i) => [i.itemKey, i]));
  const scoring = !!data?.canSelfScore && isRoundOpen(round);
  const reviewing = !!data?.canReview;
  const draftOf = (key: string): Draft => {
    const s = stored.get(key);
    return drafts[key] ?? { score: s?.score ?? null, note: s?.note ?? '', evidence: s?.evidence ?? '' };
  };
  const reviewOf = (key: string): ReviewDraft => {
    const s = stored.get(key);
    return reviews[key] ?? { score: s?.reviewedScore ?? s?.score ?? null, note: s?.reviewNote ?? '' };
  };
  const keys = round.definition.indicators.flatMap((i) => i.items.map((item) => item.key));
  const unscored = keys.filter((k) => draftOf(k).score === null).length;

  const refresh = (next: SelfReview) => {
    client.setQueryData(queryKey, next);
    void client.invalidateQueries({ queryKey: assessmentKeys.round(round.id) });
    void client.invalidateQueries({ queryKey: assessmentKeys.results(round.id) });
    void client.invalidateQueries({ queryKey: assessmentKeys.rounds(districtId) });
  };

  const saveDraft = async () => {
    const changed = keys.filter((k) => drafts[k] && drafts[k].score !== null);
    if (!changed.length) return message.info(t('assessments.score.nothingToSave'));
    setBusy('draft');
    try {
      const next = await api<SelfReview>('PUT', `/api/assessments/rounds/${round.id}/self`, {
        query: { districtId },
        body: {
          orgId,
          scores: changed.map((k) => {
            const d = draftOf(k);
            return { itemKey: k, score: d.score!, note: d.note.trim() || null, evidence: d.evidence.trim() || null };
          }),
        },
      });
      setDrafts({});
      refresh(next);
      message.success(t('insights.self.saved', { count: changed.length }));
    } catch (error) {
      showError(error);
    } finally {
      setBusy(null);
    }
  };

  const submit = () =>
    modal.confirm({
      title: t('insights.self.submit'),
      content: t('insights.self.submitConfirm'),
      okText: t('insights.self.submit'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          if (Object.keys(drafts).length) await saveDraft();
          const next = await api<SelfReview>('POST', `/api/assessments/rounds/${round.id}/self/submit`, {
            query: { districtId },
            body: { orgId },
          });
          refresh(next);
          message.success(t('insights.self.submitted'));
        } catch (error) {
          showError(error);
        }
      },
    });

  const saveReview = async () => {
    const items = keys.map((k) => {
      const r = reviewOf(k);
      const selfScore = stored.get(k)?.score ?? null;
      const adjusted = r.score !== null && r.score !== selfScore;
      return adjusted
        ? { itemKey: k, decision: 'adjusted' as const, score: r.score!, note: r.note.trim() }
        : { itemKey: k, decision: 'accepted' as const, note: r.note.trim() || null };
    });
    if (items.some((i) => i.decision === 'adjusted' && !i.note))
      return message.warning(t('insights.self.noteRequired'));
    setBusy('review');
    try {
      const next = await api<SelfReview>('POST', `/api/assessments/rounds/${round.id}/review`, {
        query: { districtId },
        body: { orgId, items },
      });
      setReviews({});
      refresh(next);
      message.success(t('insights.self.reviewed_ok'));
    } catch (error) {
      showError(error);
    } finally {
      setBusy(null);
    }
  };

  const pointButtons = (value: number | null, onChange: (v: number) => void, disabled: boolean, testId: string) => (
    <Radio.Group
      optionType="button"
      buttonStyle="solid"
      disabled={disabled}
      value={value ?? undefined}
      onChange={(e) => onChange(e.target.value as number)}
      style={{ display: 'flex', flexWrap: 'nowrap' }}
      data-testid={testId}
    >
      {POINTS.map((p) => (
        <Radio.Button
          key={p}
          value={p}
          title={`${p} · ${scaleLabel(p)}`}
          style={{ flex: '1 1 0', maxWidth: 56, minWidth: 36, textAlign: 'center', paddingInline: 0 }}
        >
          <span data-testid={`${testId}-${p}`}>{p}</span>
        </Radio.Button>
      ))}
    </Radio.Group>
  );

  return (
    <Space direction="vertical" size={screens.md ? 16 : 8} style={{ width: '100%' }} data-testid="self-review-page">
      {header}
      {data && !scoring && !reviewing && (
        <Alert
          type="info"
          showIcon
          message={t('insights.self.readOnly', { state: t(`insights.state.${data.state}`) })}
        />
      )}
      {data &&
        round.definition.indicators.map((indicator, index) => (
          <Card
            key={indicator.name}
            size={screens.md ? 'default' : 'small'}
            title={
              <Typography.Text strong style={{ whiteSpace: 'normal' }}>
                {index + 1}. {indicator.name}
              </Typography.Text>
            }
          >
            <Space direction="vertical" size={16} style={{ width: '100%' }}>
              {indicator.items.map((item) => {
                const s = stored.get(item.key);
                const d = draftOf(item.key);
                const r = reviewOf(item.key);
                const diff =
                  s?.score !== null && s?.score !== undefined && s.reviewedScore !== null
                    ? Math.round((s.reviewedScore - s.score) * 100) / 100
                    : null;
                return (
                  <div key={item.key} data-testid={`self-item-${item.key}`}>
                    <Typography.Paragraph style={{ marginBottom: 6 }}>
                      <Typography.Text type="secondary">{item.key} </Typography.Text>
                      {item.text}
                    </Typography.Paragraph>
                    {scoring ? (
                      <>
                        {pointButtons(
                          d.score,
                          (v) => setDrafts((x) => ({ ...x, [item.key]: { ...draftOf(item.key), score: v } })),
                          false,
                          `self-score-${item.key}`,
                        )}
                        <Input.TextArea
                          value={d.note}
                          onChange={(e) =>
                            setDrafts((x) => ({ ...x, [item.key]: { ...draftOf(item.key), note: e.target.value } }))
                          }
                          placeholder={t('assessments.score.note')}
                          autoSize={{ minRows: 1, maxRows: 4 }}
                          maxLength={500}
                          style={{ marginTop: 6 }}
                        />
                        <Input
                          value={d.evidence}
                          onChange={(e) =>
                            setDrafts((x) => ({ ...x, [item.key]: { ...draftOf(item.key), evidence: e.target.value } }))
                          }
                          placeholder={t('rankings.evidence')}
                          maxLength={500}
                          style={{ marginTop: 6 }}
                        />
                      </>
                    ) : (
                      <Space wrap size={[12, 4]}>
                        <span data-testid={`self-value-${item.key}`}>
                          {t('insights.self.selfScore')} <Typography.Text strong>{s?.score ?? '—'}</Typography.Text>
                        </span>
                        {!reviewing && (
                          <span data-testid={`reviewed-value-${item.key}`}>
                            {t('insights.self.reviewed')}{' '}
                            <Typography.Text strong>{s?.reviewedScore ?? '—'}</Typography.Text>
                          </span>
                        )}
                        {!reviewing && diff !== null && (
                          <Tag color={diff < 0 ? 'red' : diff > 0 ? 'green' : 'default'}>
                            {t('insights.self.difference')} {diff > 0 ? `+${diff}` : diff}
                          </Tag>
                        )}
                        {s?.note && <Typography.Text type="secondary">{s.note}</Typography.Text>}
                        {s?.evidence && (
                          <a href={s.evidence} target="_blank" rel="noreferrer noopener">
                            {t('rankings.evidence')}
                          </a>
                        )}
                        {!reviewing && s?.reviewNote && <Typography.Text italic>{s.reviewNote}</Typography.Text>}
                      </Space>
                    )}
                    {reviewing && (
                      <div style={{ marginTop: 6 }}>
                        {pointButtons(
                          r.score,
                          (v) => setReviews((x) => ({ ...x, [item.key]: { ...reviewOf(item.key), score: v } })),
                          false,
                          `review-score-${item.key}`,
                        )}
                        <Typography.Text style={{ display: 'block', fontSize: 12, marginTop: 4 }}>
                          {r.score === (s?.score ?? null) ? t('insights.self.accept') : t('insights.self.adjust')}
                        </Typography.Text>
                        <Input
                          value={r.note}
                          onChange={(e) =>
                            setReviews((x) => ({ ...x, [item.key]: { ...reviewOf(item.key), note: e.target.value } }))
                          }
                          placeholder={t('insights.self.reviewNote')}
                          maxLength={500}
                          status={r.score !== (s?.score ?? null) && !r.note.trim() ? 'warning' : undefined}
                          style={{ marginTop: 6 }}
                          data-testid={`review-note-${item.key}`}
                        />
                      </div>
                    )}
                  </div>
                );
              })}
            </Space>
          </Card>
        ))}
      {(scoring || reviewing) && (
        <Affix offsetBottom={0}>
          <Card size="small" styles={{ body: { padding: '8px 12px' } }}>
            <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
              {scoring ? (
                <>
                  <Typography.Text>
                    {unscored ? t('insights.self.incomplete', { count: unscored }) : t('assessments.score.allSaved')}
                  </Typography.Text>
                  <Space>
                    <Button
                      icon={<SaveOutlined />}
                      loading={busy === 'draft'}
                      onClick={() => void saveDraft()}
                      data-testid="self-save"
                    >
                      {t('insights.self.saveDraft')}
                    </Button>
                    <Button
                      type="primary"
                      icon={<SendOutlined />}
                      disabled={unscored > 0}
                      onClick={submit}
                      data-testid="self-submit"
                    >
                      {t('insights.self.submit')}
                    </Button>
                  </Space>
                </>
              ) : (
                <Button
                  type="primary"
                  icon={<CheckOutlined />}
                  loading={busy === 'review'}
                  onClick={() => void saveReview()}
                  data-testid="review-save"
                  block
                >
                  {t('insights.self.review')}
                </Button>
              )}
            </Space>
          </Card>
        </Affix>
      )}
    </Space>
  );
}
