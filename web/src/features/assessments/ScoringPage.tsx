import { ArrowLeftOutlined, CheckCircleFilled, SaveOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Affix,
  Alert,
  App,
  Badge,
  Button,
  Card,
  Empty,
  Grid,
  Input,
  Radio,
  Result,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { SCALE_LABELS, SCALE_MAX, SCALE_MIN } from '../../../../domain/assessment.ts';
import { useDistrict } from '../../app/district.tsx';
import { PageSpinner } from '../../components/PageSpinner.tsx';
import { useApiError } from '../../components/useApiError.ts';
import { api } from '../../lib/api.ts';
import { formatTime } from '../../lib/i18n.ts';
import { useSession } from '../auth/session.ts';
import { assessmentKeys, isRoundOpen, type ScoreList, useMyScores, useRound } from './api.ts';
import { SelfReviewPanel } from './SelfReviewPanel.tsx';

const POINTS = Array.from({ length: SCALE_MAX - SCALE_MIN + 1 }, (_, i) => SCALE_MIN + i);

type Entry = { score: number | null; note: string; evidence: string };
/** Unsaved edits of one org, by item key. */
type Drafts = { orgId: number | undefined; entries: Record<string, Entry> };

export function useScaleLabel() {
  const { t, i18n } = useTranslation();
  // the Chinese wording is the report's own (domain SCALE_LABELS); other languages translate it
  return (point: number) => (i18n.language === 'en' ? t(`assessments.scale.${point}`) : SCALE_LABELS[point]);
}

/** 打分: an assessor scores every item of one assessed org on the 7-point scale, per indicator or all at once. */
export function ScoringPage() {
  const { t } = useTranslation();
  const roundId = Number(useParams().id);
  const me = useSession();
  const { districtId } = useDistrict();
  const round = useRound(roundId);
  // the round carries its set's definition: assessors without assessment.read cannot list the sets
  const definition = round.data?.definition;
  const [params, setParams] = useSearchParams();
  const orgParam = Number(params.get('org'));
  const orgId = round.data?.orgs.some((o) => o.id === orgParam) ? orgParam : round.data?.orgs[0]?.id;
  const saved = useMyScores(roundId, orgId);
  const [drafts, setDrafts] = useState<Drafts>({ orgId, entries: {} });
  const [busy, setBusy] = useState<string | null>(null);
  const { message, modal } = App.useApp();
  const showError = useApiError();
  const client = useQueryClient();
  const screens = Grid.useBreakpoint();
  const scaleLabel = useScaleLabel();

  useEffect(() => {
    if (drafts.orgId !== orgId) setDrafts({ orgId, entries: {} });
  }, [orgId, drafts.orgId]);

  const savedByKey = useMemo(() => {
    const map: Record<string, Entry> = {};
    for (const s of saved.data?.items ?? [])
      map[s.itemKey] = { score: s.score, note: s.note ?? '', evidence: s.evidence ?? '' };
    return map;
  }, [saved.data]);

  if (round.isLoading) return <PageSpinner />;
  if (round.error || !round.data) {
    return <Result status="404" title={t('assessments.notFound')} extra={<BackLink />} />;
  }
  const r = round.data;
  // 自评 + 审核 rounds are scored by the assessed orgs themselves and reviewed by the assessors.
  if (r.mode === 'self_review') return <SelfReviewPanel round={r} />;
  const isAssessor = r.assessors.some((a) => a.id === me.account.id);
  const open = isRoundOpen(r);
  const editable = isAssessor && open;
  const entries = drafts.orgId === orgId ? drafts.entries : {};

  const current = (key: string): Entry => entries[key] ?? savedByKey[key] ?? { score: null, note: '', evidence: '' };
  const isDirty = (key: string) => {
    const draft = entries[key];
    if (!draft) return false;
    const before = savedByKey[key] ?? { score: null, note: '', evidence: '' };
    return (
      draft.score !== before.score ||
      draft.note.trim() !== before.note.trim() ||
      draft.evidence.trim() !== before.evidence.trim()
    );
  };
  const edit = (key: string, change: Partial<Entry>) =>
    setDrafts((d) => ({
      orgId,
      entries: { ...(d.orgId === orgId ? d.entries : {}), [key]: { ...current(key), ...change } },
    }));

  const allKeys = definition?.indicators.flatMap((i) => i.items.map((item) => item.key)) ?? [];
  const dirtyKeys = allKeys.filter((k) => isDirty(k) && current(k).score !== null);
  const savedCount = allKeys.filter((k) => savedByKey[k]).length;

  const save = async (keys: string[], tag: string) => {
    if (orgId === undefined) return;
    const toSave = keys.filter((k) => isDirty(k) && current(k).score !== null);
    if (toSave.length === 0) {
      message.info(t('assessments.score.nothingToSave'));
      return;
    }
    setBusy(tag);
    try {
      const result = await api<ScoreList>('PUT', `/api/assessments/rounds/${roundId}/scores`, {
        query: { districtId },
        body: {
          orgId,
          scores: toSave.map((k) => {
            const e = current(k);
            return {
              itemKey: k,
              score: e.score as number,
              note: e.note.trim() || null,
              evidence: e.evidence.trim() || null,
            };
          }),
        },
      });
      client.setQueryData(assessmentKeys.scores(roundId, orgId), result);
      setDrafts((d) => {
        const rest = { ...d.entries };
        for (const k of toSave) delete rest[k];
        return { orgId, entries: rest };
      });
      void client.invalidateQueries({ queryKey: assessmentKeys.rounds(districtId) });
      void client.invalidateQueries({ queryKey: assessmentKeys.round(roundId) });
      void client.invalidateQueries({ queryKey: assessmentKeys.results(roundId) });
      message.success(t('assessments.score.saved', { count: toSave.length }));
    } catch (error) {
      showError(error);
    } finally {
      setBusy(null);
    }
  };

  const chooseOrg = (id: number) => {
    const go = () => setParams({ org: String(id) }, { replace: true });
    if (dirtyKeys.length === 0) go();
    else
      modal.confirm({
        title: t('assessments.score.discardTitle'),
        content: t('assessments.score.discardText', { count: dirtyKeys.length }),
        okText: t('assessments.score.discardOk'),
        cancelText: t('common.cancel'),
        onOk: go,
      });
  };

  return (
    <Space direction="vertical" size={screens.md ? 16 : 8} style={{ width: '100%' }} data-testid="scoring-page">
      <Card size={screens.md ? 'default' : 'small'}>
        <Space direction="vertical" size={8} style={{ width: '100%' }}>
          <BackLink />
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('assessments.score.title', { name: r.name })}
          </Typography.Title>
          <Typography.Text type="secondary">
            {r.period} · {t('assessments.col.deadline')} {formatTime(r.deadline)} · {r.setName}
          </Typography.Text>
          {!isAssessor && <Alert type="warning" showIcon message={t('assessments.score.notAssessor')} />}
          {isAssessor && !open && <Alert type="warning" showIcon message={t('assessments.score.closed')} />}
          <div>
            <Typography.Text strong>{t('assessments.score.org')}</Typography.Text>
            <Select
              showSearch
              optionFilterProp="label"
              value={orgId}
              onChange={chooseOrg}
              options={r.orgs.map((o) => ({ value: o.id, label: o.name }))}
              style={{ width: '100%', maxWidth: 420, display: 'block', marginTop: 4 }}
              data-testid="scoring-org-select"
            />
          </div>
          {definition && (
            <Typography.Text data-testid="scoring-saved-count" data-saved={savedCount} data-total={allKeys.length}>
              {t('assessments.score.savedCount', { saved: savedCount, total: allKeys.length })}
            </Typography.Text>
          )}
          <ScaleLegend />
        </Space>
      </Card>

      {saved.isLoading && <Spin style={{ display: 'block', margin: 24 }} />}
      {definition && orgId === undefined && <Empty />}
      {definition &&
        orgId !== undefined &&
        !saved.isLoading &&
        definition.indicators.map((indicator, index) => {
          const keys = indicator.items.map((i) => i.key);
          const done = keys.filter((k) => savedByKey[k]).length;
          const dirty = keys.filter((k) => isDirty(k) && current(k).score !== null).length;
          return (
            <Card
              key={indicator.name}
              size={screens.md ? 'default' : 'small'}
              data-testid={`indicator-card-${index}`}
              title={
                <Typography.Text strong style={{ whiteSpace: 'normal' }}>
                  {index + 1}. {indicator.name}
                </Typography.Text>
              }
              extra={
                <Space size={4}>
                  {done === keys.length ? (
                    <Tag color="green" icon={<CheckCircleFilled />} style={{ marginInlineEnd: 0 }}>
                      {done}/{keys.length}
                    </Tag>
                  ) : (
                    <Tag style={{ marginInlineEnd: 0 }}>
                      {done}/{keys.length}
                    </Tag>
                  )}
                  {editable && (
                    <Badge count={dirty} size="small">
                      <Button
                        size="small"
                        icon={<SaveOutlined />}
                        disabled={dirty === 0}
                        loading={busy === `indicator-${index}`}
                        onClick={() => void save(keys, `indicator-${index}`)}
                        data-testid={`save-indicator-${index}`}
                      >
                        {screens.sm ? t('common.save') : null}
                      </Button>
                    </Badge>
                  )}
                </Space>
              }
            >
              <Space direction="vertical" size={16} style={{ width: '100%' }}>
                {indicator.items.map((item) => {
                  const entry = current(item.key);
                  const dirtyItem = isDirty(item.key);
                  return (
                    <div key={item.key} data-testid={`score-item-${item.key}`}>
                      <Typography.Paragraph style={{ marginBottom: 6 }}>
                        <Typography.Text type="secondary">{item.key} </Typography.Text>
                        {item.text}
                        {dirtyItem && (
                          <Tag color="orange" style={{ marginInlineStart: 6 }}>
                            {t('assessments.score.unsaved')}
                          </Tag>
                        )}
                      </Typography.Paragraph>
                      <Radio.Group
                        optionType="button"
                        buttonStyle="solid"
                        disabled={!editable}
                        value={entry.score ?? undefined}
                        onChange={(e) => edit(item.key, { score: e.target.value as number })}
                        style={{ display: 'flex', flexWrap: 'nowrap' }}
                        aria-label={item.text}
                        data-testid={`score-${item.key}`}
                      >
                        {POINTS.map((p) => (
                          <Radio.Button
                            key={p}
                            value={p}
                            title={`${p} · ${scaleLabel(p)}`}
                            style={{ flex: '1 1 0', maxWidth: 56, minWidth: 36, textAlign: 'center', paddingInline: 0 }}
                          >
                            <span data-testid={`score-${item.key}-${p}`}>{p}</span>
                          </Radio.Button>
                        ))}
                      </Radio.Group>
                      <Typography.Text
                        type={entry.score === null ? 'secondary' : undefined}
                        style={{ display: 'block', fontSize: 12, marginTop: 4 }}
                        data-testid={`score-label-${item.key}`}
                      >
                        {entry.score === null
                          ? t('assessments.score.notScored')
                          : `${entry.score} · ${scaleLabel(Math.round(entry.score))}`}
                      </Typography.Text>
                      {(editable || entry.note) && (
                        <Input.TextArea
                          value={entry.note}
                          onChange={(e) => edit(item.key, { note: e.target.value })}
                          disabled={!editable || entry.score === null}
                          placeholder={
                            entry.score === null ? t('assessments.score.noteAfterScore') : t('assessments.score.note')
                          }
                          autoSize={{ minRows: 1, maxRows: 4 }}
                          maxLength={500}
                          style={{ marginTop: 6 }}
                          data-testid={`note-${item.key}`}
                        />
                      )}
                      {(editable || entry.evidence) &&
                        (editable ? (
                          <Input
                            value={entry.evidence}
                            onChange={(e) => edit(item.key, { evidence: e.target.value })}
                            disabled={entry.score === null}
                            placeholder={t('rankings.evidence')}
                            maxLength={500}
                            style={{ marginTop: 6 }}
                            data-testid={`evidence-${item.key}`}
                          />
                        ) : (
                          <a href={entry.evidence} target="_blank" rel="noreferrer noopener">
                            {t('rankings.evidence')}
                          </a>
                        ))}
                    </div>
                  );
                })}
              </Space>
            </Card>
          );
        })}

      {editable && definition && orgId !== undefined && (
        <Affix offsetBottom={0}>
          <Card size="small" styles={{ body: { padding: '8px 12px' } }}>
            <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
              <Typography.Text data-testid="scoring-dirty-count">
                {dirtyKeys.length > 0
                  ? t('assessments.score.dirtyCount', { count: dirtyKeys.length })
                  : t('assessments.score.allSaved')}
              </Typography.Text>
              <Button
                type="primary"
                icon={<SaveOutlined />}
                disabled={dirtyKeys.length === 0}
                loading={busy === 'all'}
                onClick={() => void save(allKeys, 'all')}
                data-testid="save-all"
              >
                {t('assessments.score.saveAll')}
              </Button>
            </Space>
          </Card>
        </Affix>
      )}
    </Space>
  );
}

function BackLink() {
  const { t } = useTranslation();
  return (
    <Link to="/assessments" data-testid="assessments-back">
      <ArrowLeftOutlined /> {t('assessments.back')}
    </Link>
  );
}

/** The 7-point scale with its labels. */
function ScaleLegend() {
  const { t } = useTranslation();
  const scaleLabel = useScaleLabel();
  return (
    <div data-testid="scale-legend">
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('assessments.score.scale')}
      </Typography.Text>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: '2px 12px', fontSize: 12 }}>
        {POINTS.map((p) => (
          <span key={p}>
            <Typography.Text strong>{p}</Typography.Text> {scaleLabel(p)}
          </span>
        ))}
      </div>
    </div>
  );
}

export { BackLink };
