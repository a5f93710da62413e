import { BarChartOutlined, EditOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Empty,
  Grid,
  Progress,
  Space,
  Table,
  type TableColumnsType,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { formatTime } from '../../lib/i18n.ts';
import { useCan, useSession } from '../auth/session.ts';
import { RoundCreateModal, SetCreateModal } from './AssessmentModals.tsx';
import { AwardsPanel } from './AwardsPanel.tsx';
import { isRoundOpen, type Round, useRounds, useSets } from './api.ts';
import { RankingsPanel } from './RankingsPanel.tsx';

/** 考核与排行: the assessment rounds visible to the caller, with set and round creation for managers. */
export function AssessmentsPage() {
  const { t } = useTranslation();
  const me = useSession();
  const canManage = useCan('assessment.manage');
  const canRead = useCan('assessment.read');
  const rounds = useRounds();
  const sets = useSets(canRead);
  const screens = Grid.useBreakpoint();
  const [modal, setModal] = useState<{ kind: 'set'; thenRound?: boolean } | { kind: 'round'; setId?: number } | null>(
    null,
  );

  const statusTag = (r: Round) => {
    if (r.status === 'closed') return <Tag>{t('assessments.status.closed')}</Tag>;
    if (!isRoundOpen(r)) return <Tag color="orange">{t('assessments.status.expired')}</Tag>;
    return <Tag color="blue">{t('assessments.status.open')}</Tag>;
  };

  const columns: TableColumnsType<Round> = [
    {
      title: t('assessments.col.name'),
      dataIndex: 'name',
      render: (name: string, r) => (
        <Space direction="vertical" size={0}>
          <Typography.Text strong data-testid={`round-name-${r.id}`}>
            {name}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.setName}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('assessments.col.period'), dataIndex: 'period' },
    {
      title: t('assessments.col.deadline'),
      dataIndex: 'deadline',
      render: (v: string, r) => <span data-testid={`round-deadline-${r.id}`}>{formatTime(v)}</span>,
    },
    { title: t('assessments.col.status'), key: 'status', render: (_, r) => statusTag(r) },
    {
      title: t('assessments.col.scope'),
      key: 'scope',
      render: (_, r) => (
        <Tooltip
          title={
            <div>
              <div>{r.orgs.map((o) => o.name).join('、')}</div>
              <div>
                {t('assessments.col.assessors')}: {r.assessors.map((a) => a.displayName).join('、')}
              </div>
            </div>
          }
        >
          <Typography.Text>
            {t('assessments.scopeText', { orgs: r.orgs.length, assessors: r.assessors.length })}
          </Typography.Text>
        </Tooltip>
      ),
    },
    {
      title: t('assessments.col.progress'),
      key: 'progress',
      width: 200,
      render: (_, r) => {
        const { entered, expected } = r.progress;
        const percent = expected > 0 ? Math.round((entered / expected) * 1000) / 10 : 0;
        return (
          <div data-testid={`round-progress-${r.id}`} data-entered={entered} data-expected={expected}>
            <Progress percent={percent} size="small" status={percent >= 100 ? 'success' : 'normal'} showInfo={false} />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('assessments.progressText', { entered, expected, percent })}
            </Typography.Text>
          </div>
        );
      },
    },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_, r) => {
        const isAssessor = r.assessors.some((a) => a.id === me.account.id);
        // 自评 + 审核: the assessed org's own cadres score their org, the assessors review
        const selfScorer = r.mode === 'self_review' && r.orgs.some((o) => o.id === me.account.orgId);
        return (
          <Space size={0} wrap>
            {r.mode === 'self_review' && (
              <Tag data-testid={`round-mode-${r.id}`}>{t('insights.mode.tag.self_review')}</Tag>
            )}
            {(isAssessor || selfScorer) && (
              <Link to={`/assessments/${r.id}/score`} data-testid={`round-score-${r.id}`}>
                <Button type="link" size="small" icon={<EditOutlined />}>
                  {isRoundOpen(r) ? t('assessments.action.score') : t('assessments.action.myScores')}
                </Button>
              </Link>
            )}
            {canRead && (
              <Link to={`/assessments/${r.id}/results`} data-testid={`round-results-${r.id}`}>
                <Button type="link" size="small" icon={<BarChartOutlined />}>
                  {t('assessments.action.results')}
                </Button>
              </Link>
            )}
          </Space>
        );
      },
    },
  ];

  const actions = (
    <Space wrap size="small">
      <Button icon={<ReloadOutlined />} onClick={() => void rounds.refetch()} data-testid="rounds-refresh">
        {screens.sm ? t('common.refresh') : null}
      </Button>
      {canManage && (
        <Button icon={<PlusOutlined />} onClick={() => setModal({ kind: 'set' })} data-testid="set-create">
          {t('assessments.set.create')}
        </Button>
      )}
      {canManage && (
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setModal({ kind: 'round' })}
          data-testid="round-create"
        >
          {t('assessments.round.create')}
        </Button>
      )}
    </Space>
  );

  const roundsTab = (
    <>
      <div style={{ marginBottom: 12, display: 'flex', justifyContent: 'flex-end' }}>{actions}</div>
      {canManage && sets.data && (
        <Typography.Paragraph type="secondary" data-testid="sets-summary">
          {sets.data.items.length === 0
            ? t('assessments.set.none')
            : t('assessments.set.list', { names: sets.data.items.map((s) => s.name).join('、') })}
        </Typography.Paragraph>
      )}
      {rounds.error && <Alert type="error" showIcon message={t('error.loadFailed')} style={{ marginBottom: 16 }} />}
      <Table<Round>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={rounds.data?.items ?? []}
        loading={rounds.isFetching}
        scroll={{ x: 960 }}
        pagination={false}
        data-testid="rounds-table"
        locale={{ emptyText: <Empty description={t('assessments.noRounds')} /> }}
      />
      {modal?.kind === 'set' && (
        <SetCreateModal
          onClose={(created) => {
            // opened from the round form ("create a set first"): go back to it with the new set chosen
            setModal(modal.thenRound ? { kind: 'round', setId: created?.id } : null);
          }}
        />
      )}
      {modal?.kind === 'round' && (
        <RoundCreateModal
          presetSetId={modal.setId}
          onCreateSet={() => setModal({ kind: 'set', thenRound: true })}
          onClose={() => setModal(null)}
        />
      )}
    </>
  );

  return (
    <Card title={t('assessments.title')} data-testid="assessments-page">
      <Tabs
        destroyInactiveTabPane
        items={[
          { key: 'rounds', label: t('rankings.roundsTab'), children: roundsTab },
          ...(canRead
            ? [
                {
                  key: 'rankings',
                  label: <span data-testid="tab-rankings">{t('rankings.tab')}</span>,
                  children: <RankingsPanel />,
                },
              ]
            : []),
          { key: 'awards', label: <span data-testid="tab-awards">{t('awards.tab')}</span>, children: <AwardsPanel /> },
        ]}
      />
    </Card>
  );
}
