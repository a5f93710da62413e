import { DownloadOutlined, PrinterOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  Grid,
  List,
  Progress,
  Result,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { flushSync } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router-dom';
import type { Band, ItemResult } from '../../../../domain/assessment.ts';
import { PageSpinner } from '../../components/PageSpinner.tsx';
import { formatTime } from '../../lib/i18n.ts';
import {
  type AssessmentResultView,
  BAND_COLORS,
  formatMean,
  type Round,
  type RoundResults,
  useResults,
  useRound,
} from './api.ts';
import { RadarChart } from './RadarChart.tsx';
import { BackLink } from './ScoringPage.tsx';
import { SelfReviewCompare } from './SelfReviewCompare.tsx';
import './print.css';

type IndicatorRow = AssessmentResultView['indicators'][number] & { index: number };
const COMBINED = 'combined';
const ORG_COLOR = '#c8161d';
const COMBINED_COLOR = '#1677ff';

export function BandTag({ band, testId }: { band: Band | null; testId?: string }) {
  const { t } = useTranslation();
  if (!band) return <Tag data-testid={testId}>{t('assessments.band.none')}</Tag>;
  return (
    <Tag color={BAND_COLORS[band]} data-testid={testId} data-band={band}>
      {t(`assessments.band.${band}`)}
    </Tag>
  );
}

/** 测评结果: per org and combined — overall score and band, radar, indicator table, action points; printable. */
export function ResultsPage() {
  const { t } = useTranslation();
  const roundId = Number(useParams().id);
  const round = useRound(roundId);
  const results = useResults(roundId);
  const [params, setParams] = useSearchParams();
  const screens = Grid.useBreakpoint();
  const [printing, setPrinting] = useState(false);
  const [expanded, setExpanded] = useState<number[]>([]);

  const orgParam = params.get('org');
  const selectedOrg = results.data?.orgs.find((o) => String(o.orgId) === orgParam);
  const view = selectedOrg ? selectedOrg.result : results.data?.combined;
  const viewName = selectedOrg ? selectedOrg.orgName : t('assessments.results.combined');

  // Ctrl+P prints the whole report too: expand every indicator while the print dialog is up
  useEffect(() => {
    const before = () => flushSync(() => setPrinting(true));
    const after = () => setPrinting(false);
    window.addEventListener('beforeprint', before);
    window.addEventListener('afterprint', after);
    return () => {
      window.removeEventListener('beforeprint', before);
      window.removeEventListener('afterprint', after);
    };
  }, []);
  const print = useCallback(() => {
    flushSync(() => setPrinting(true));
    window.print();
  }, []);

  if (round.isLoading || results.isLoading) return <PageSpinner />;
  if (round.error || results.error || !round.data || !results.data || !view) {
    return <Result status="404" title={t('assessments.notFound')} extra={<BackLink />} />;
  }
  const r = round.data;

  return (
    <div className="jw-print-report" data-testid="results-page">
      <Space direction="vertical" size={screens.md ? 16 : 8} style={{ width: '100%' }}>
        <Card size={screens.md ? 'default' : 'small'}>
          <Space direction="vertical" size={8} style={{ width: '100%' }}>
            <div className="jw-no-print">
              <BackLink />
            </div>
            <div className="jw-print-only">
              <Typography.Text type="secondary">{t('assessments.results.reportHeader')}</Typography.Text>
            </div>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="results-title">
              {t('assessments.results.title', { name: r.name })} · {viewName}
            </Typography.Title>
            <Typography.Text type="secondary">
              {r.period} · {r.setName} · {t('assessments.col.deadline')} {formatTime(r.deadline)} ·{' '}
              {t('assessments.results.thresholds', r.thresholds)}
            </Typography.Text>
            <ProgressLine round={r} />
            <Space wrap className="jw-no-print">
              <Select
                showSearch
                optionFilterProp="label"
                value={selectedOrg ? selectedOrg.orgId : COMBINED}
                onChange={(v: number | string) =>
                  setParams(v === COMBINED ? {} : { org: String(v) }, { replace: true })
                }
                options={[
                  { value: COMBINED, label: t('assessments.results.combined') },
                  ...results.data.orgs.map((o) => ({ value: o.orgId, label: o.orgName })),
                ]}
                style={{ minWidth: 220 }}
                data-testid="results-org-select"
              />
              <Button icon={<ReloadOutlined />} onClick={() => void results.refetch()} loading={results.isFetching}>
                {t('common.refresh')}
              </Button>
              <Button icon={<PrinterOutlined />} onClick={print} data-testid="results-print">
                {t('assessments.results.print')}
              </Button>
              <Button
                icon={<DownloadOutlined />}
                href={`/api/assessments/rounds/${roundId}/results.xlsx${round.data ? `?districtId=${round.data.districtId}` : ''}`}
                download
                data-testid="results-xlsx"
              >
                {t('rankings.export')}
              </Button>
            </Space>
            <Typography.Text type="secondary" className="jw-print-only">
              {t('assessments.results.printedAt', { time: dayjs().tz('Asia/Shanghai').format('YYYY-MM-DD HH:mm') })}
            </Typography.Text>
          </Space>
        </Card>

        {view.overall === null && <Alert type="info" showIcon message={t('assessments.results.noScores')} />}

        <Row gutter={[16, 16]}>
          <Col xs={24} lg={10} className="jw-print-full">
            <Space direction="vertical" size={16} style={{ width: '100%' }}>
              <Card size="small" className="jw-avoid-break">
                <Space size="large" align="center" wrap>
                  <Statistic
                    title={t('assessments.results.overall')}
                    value={formatMean(view.overall)}
                    valueStyle={{ fontSize: 36 }}
                    valueRender={(node) => <span data-testid="overall-score">{node}</span>}
                  />
                  <BandTag band={view.band} testId="overall-band" />
                </Space>
              </Card>
              <Card
                size="small"
                title={t('assessments.results.radar')}
                className="jw-avoid-break"
                styles={{ body: { padding: 8 } }}
              >
                <RadarBlock view={view} results={results.data} selected={selectedOrg !== undefined} name={viewName} />
              </Card>
            </Space>
          </Col>
          <Col xs={24} lg={14} className="jw-print-full">
            <Card size="small" title={t('assessments.results.indicators')}>
              <IndicatorTable
                view={view}
                expanded={printing ? view.indicators.map((_, i) => i) : expanded}
                onExpand={setExpanded}
              />
            </Card>
          </Col>
        </Row>

        <Card size="small" title={t('assessments.results.actionPoints')} className="jw-avoid-break">
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
            {t('assessments.results.actionPointsHint')}
          </Typography.Paragraph>
          <List<ItemResult>
            dataSource={view.actionPoints}
            locale={{ emptyText: <Empty description={t('assessments.results.noScores')} /> }}
            data-testid="action-points"
            renderItem={(item, i) => (
              <List.Item data-testid={`action-point-${i}`} data-key={item.key}>
                <div style={{ display: 'flex', gap: 8, width: '100%', alignItems: 'flex-start' }}>
                  <Typography.Text style={{ flex: 1, minWidth: 0 }}>
                    <Typography.Text type="secondary">{item.key} </Typography.Text>
                    {item.text}
                  </Typography.Text>
                  <span style={{ flexShrink: 0, whiteSpace: 'nowrap' }}>
                    <Typography.Text strong style={{ marginInlineEnd: 4 }}>
                      {formatMean(item.mean)}
                    </Typography.Text>
                    <BandTag band={item.band} />
                  </span>
                </div>
              </List.Item>
            )}
          />
        </Card>

        {selectedOrg?.selfReview && <SelfReviewCompare summary={selectedOrg.selfReview} />}

        {results.data.orgs.length > 0 && (
          <Card size="small" title={t('assessments.results.ranking')} className="jw-avoid-break">
            <Ranking
              results={results.data}
              selected={selectedOrg?.orgId}
              onSelect={(id) => setParams({ org: String(id) }, { replace: true })}
            />
          </Card>
        )}
      </Space>
    </div>
  );
}

function ProgressLine({ round }: { round: Round }) {
  const { t } = useTranslation();
  const { entered, expected } = round.progress;
  const percent = expected > 0 ? Math.round((entered / expected) * 1000) / 10 : 0;
  return (
    <div style={{ maxWidth: 420 }}>
      <Progress percent={percent} size="small" />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('assessments.progressText', { entered, expected, percent })}
      </Typography.Text>
    </div>
  );
}

function RadarBlock({
  view,
  results,
  selected,
  name,
}: {
  view: AssessmentResultView;
  results: RoundResults;
  selected: boolean;
  name: string;
}) {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const names = useMemo(() => view.indicators.map((i) => i.name), [view]);
  const series = useMemo(
    () => [
      { name, values: view.indicators.map((i) => i.mean), color: selected ? ORG_COLOR : COMBINED_COLOR },
      ...(selected
        ? [
            {
              name: t('assessments.results.combined'),
              values: results.combined.indicators.map((i) => i.mean),
              color: COMBINED_COLOR,
              dashed: true,
            },
          ]
        : []),
    ],
    [view, results, selected, name, t],
  );
  return (
    <div
      data-testid="assessment-radar"
      data-indicators={JSON.stringify(names)}
      data-means={JSON.stringify(view.indicators.map((i) => i.mean))}
    >
      <RadarChart indicators={names} series={series} compact={!screens.sm} height={screens.sm ? 380 : 320} />
      {view.indicators.some((i) => i.mean === null) && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('assessments.results.radarGaps')}
        </Typography.Text>
      )}
    </div>
  );
}

function IndicatorTable({
  view,
  expanded,
  onExpand,
}: {
  view: AssessmentResultView;
  expanded: number[];
  onExpand: (keys: number[]) => void;
}) {
  const { t } = useTranslation();
  const rows: IndicatorRow[] = view.indicators.map((ind, index) => ({ ...ind, index }));
  const columns: TableColumnsType<IndicatorRow> = [
    { title: '#', dataIndex: 'index', width: 36, render: (i: number) => i + 1 },
    { title: t('assessments.results.indicator'), dataIndex: 'name' },
    {
      title: t('assessments.results.mean'),
      dataIndex: 'mean',
      width: 68,
      align: 'right',
      render: (mean: number | null, row) => (
        <Typography.Text strong data-testid={`indicator-mean-${row.index}`}>
          {formatMean(mean)}
        </Typography.Text>
      ),
    },
    {
      title: t('assessments.results.band'),
      dataIndex: 'band',
      width: 90,
      render: (band: Band | null, row) => <BandTag band={band} testId={`indicator-band-${row.index}`} />,
    },
  ];
  return (
    <Table<IndicatorRow>
      rowKey="index"
      size="small"
      pagination={false}
      columns={columns}
      dataSource={rows}
      data-testid="indicator-table"
      expandable={{
        expandedRowKeys: expanded,
        onExpandedRowsChange: (keys) => onExpand(keys as number[]),
        expandedRowRender: (row) => <ItemTable items={row.items} />,
      }}
    />
  );
}

function ItemTable({ items }: { items: ItemResult[] }) {
  const { t } = useTranslation();
  const columns: TableColumnsType<ItemResult> = [
    { title: t('assessments.results.itemKey'), dataIndex: 'key', width: 56 },
    { title: t('assessments.results.item'), dataIndex: 'text' },
    {
      title: t('assessments.results.mean'),
      dataIndex: 'mean',
      width: 72,
      align: 'right',
      render: (mean: number | null, item) => <span data-testid={`item-mean-${item.key}`}>{formatMean(mean)}</span>,
    },
    { title: t('assessments.results.count'), dataIndex: 'count', width: 64, align: 'right' },
    {
      title: t('assessments.results.band'),
      dataIndex: 'band',
      width: 84,
      render: (band: Band | null) => <BandTag band={band} />,
    },
  ];
  return <Table<ItemResult> rowKey="key" size="small" pagination={false} columns={columns} dataSource={items} />;
}

type RankRow = { rank: number | null; orgId: number; orgName: string; overall: number | null; band: Band | null };

/** 排行: the assessed orgs by overall score, best first; unscored orgs last. */
function Ranking({
  results,
  selected,
  onSelect,
}: {
  results: RoundResults;
  selected: number | undefined;
  onSelect: (orgId: number) => void;
}) {
  const { t } = useTranslation();
  const rows = useMemo<RankRow[]>(() => {
    const sorted = [...results.orgs].sort(
      (a, b) =>
        (b.result.overall ?? Number.NEGATIVE_INFINITY) - (a.result.overall ?? Number.NEGATIVE_INFINITY) ||
        a.orgName.localeCompare(b.orgName, 'zh-CN'),
    );
    let rank = 0;
    let previous: number | null = null;
    return sorted.map((o, i) => {
      if (o.result.overall !== previous) rank = i + 1;
      previous = o.result.overall;
      return {
        rank: o.result.overall === null ? null : rank,
        orgId: o.orgId,
        orgName: o.orgName,
        overall: o.result.overall,
        band: o.result.band,
      };
    });
  }, [results]);
  const columns: TableColumnsType<RankRow> = [
    { title: t('assessments.results.rank'), dataIndex: 'rank', width: 64, render: (v: number | null) => v ?? '—' },
    {
      title: t('assessments.results.org'),
      dataIndex: 'orgName',
      render: (name: string, row) => (
        <Typography.Link onClick={() => onSelect(row.orgId)} data-testid={`ranking-org-${row.orgId}`}>
          {name}
        </Typography.Link>
      ),
    },
    {
      title: t('assessments.results.overall'),
      dataIndex: 'overall',
      width: 96,
      align: 'right',
      render: (v: number | null, row) => <span data-testid={`ranking-score-${row.orgId}`}>{formatMean(v)}</span>,
    },
    {
      title: t('assessments.results.band'),
      dataIndex: 'band',
      width: 90,
      render: (b: Band | null) => <BandTag band={b} />,
    },
  ];
  return (
    <Table<RankRow>
      rowKey="orgId"
      size="small"
      pagination={false}
      columns={columns}
      dataSource={rows}
      data-testid="ranking-table"
      rowClassName={(row) => (row.orgId === selected ? 'ant-table-row-selected' : '')}
    />
  );
}
