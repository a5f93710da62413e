import { useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Drawer,
  Empty,
  Input,
  InputNumber,
  List,
  Modal,
  Row,
  Space,
  Statistic,
  Table,
  type TableColumnsType,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_SUMMARY_PHOTOS } from '../../../../domain/photo.ts';
import { PhotoGallery, PhotoPicker, type PickedPhoto, toUploads } from '../../components/photos/Photos.tsx';
import { ApiError, api } from '../../lib/api.ts';
import { formatTime } from '../../lib/i18n.ts';
import { useCan } from '../auth/session.ts';
import { ApprovalSettingsTab } from './ApprovalSettings.tsx';
import {
  type Activity,
  type Plan,
  type Team,
  type Theme,
  useActivities,
  useActivity,
  useFigures,
  usePlan,
  usePlans,
  useSignups,
  useTeams,
  useThemes,
} from './api.ts';

const STATUS_COLOR: Record<string, string> = {
  draft: 'default',
  submitted: 'gold',
  approved: 'green',
  returned: 'orange',
  open: 'blue',
  running: 'processing',
  finished: 'purple',
  summarised: 'cyan',
  published: 'success',
  cancelled: 'red',
  soliciting: 'blue',
  closed: 'default',
};

const yuan = (fen: number) => (fen / 100).toFixed(2);
/** A datetime-local value read as Beijing time. */
const shanghaiIso = (local: string) => `${local.length === 16 ? `${local}:00` : local}+08:00`;

function useAct() {
  const { message } = App.useApp();
  const qc = useQueryClient();
  return async (fn: () => Promise<unknown>, ok?: string) => {
    try {
      await fn();
      await qc.invalidateQueries({ queryKey: ['activities'] });
      if (ok) message.success(ok);
      return true;
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : String(err));
      return false;
    }
  };
}

function StatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOR[status]} data-testid={`status-${status}`}>
      {t(`activities.status.${status}`)}
    </Tag>
  );
}

// ── plans ──────────────────────────────────────────────────────────────────────────────────

function CommentReply({ commentId, planId }: { commentId: number; planId: number }) {
  const { t } = useTranslation();
  const act = useAct();
  const [reply, setReply] = useState('');
  const [reason, setReason] = useState('');
  const send = (adopted: boolean) =>
    act(
      () =>
        api('POST', `/api/activity-plan-comments/${commentId}/reply`, {
          body: { reply, adopted, ...(adopted ? {} : { reason }) },
        }),
      t('activities.done'),
    );
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid={`comment-reply-${commentId}`} key={planId}>
      <Input.TextArea
        rows={2}
        placeholder={t('activities.reply.text')}
        value={reply}
        onChange={(e) => setReply(e.target.value)}
        data-testid={`comment-reply-text-${commentId}`}
      />
      <Input
        placeholder={t('activities.reply.reason')}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        data-testid={`comment-reason-${commentId}`}
      />
      <Space>
        <Button type="primary" size="small" onClick={() => send(true)} data-testid={`comment-adopt-${commentId}`}>
          {t('activities.action.adopt')}
        </Button>
        <Button size="small" onClick={() => send(false)} data-testid={`comment-reject-${commentId}`}>
          {t('activities.action.notAdopt')}
        </Button>
      </Space>
    </Space>
  );
}

function PlanDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  const act = useAct();
  const canWrite = useCan('activity.write');
  const { data: plan } = usePlan(id);
  const [note, setNote] = useState('');
  const [closes, setCloses] = useState('');
  const move = (action: string, body?: unknown) =>
    act(() => api('POST', `/api/activity-plans/${id}/${action}`, { body: body ?? {} }), t('activities.done'));
  return (
    <Drawer open={id !== null} onClose={onClose} width={640} title={plan?.title} data-testid="plan-drawer">
      {plan && (
        <Space direction="vertical" style={{ width: '100%' }} size="large">
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('activities.field.status')}>
              <StatusTag status={plan.status} />
            </Descriptions.Item>
            <Descriptions.Item label={t('activities.field.org')}>{plan.org.name}</Descriptions.Item>
            <Descriptions.Item label={t('activities.field.category')}>{plan.category.name}</Descriptions.Item>
            <Descriptions.Item label={t('activities.field.purpose')}>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{plan.purpose}</Typography.Paragraph>
            </Descriptions.Item>
            <Descriptions.Item label={t('activities.field.venue')}>{plan.venue}</Descriptions.Item>
            <Descriptions.Item label={t('activities.field.time')}>
              {formatTime(plan.startsAt)} – {formatTime(plan.endsAt)}
            </Descriptions.Item>
            <Descriptions.Item label={t('activities.field.capacity')}>{plan.capacity}</Descriptions.Item>
            <Descriptions.Item label={t('activities.field.budget')}>{yuan(plan.budgetFen)}</Descriptions.Item>
            {plan.reviewNote && (
              <Descriptions.Item label={t('activities.returnNote')}>{plan.reviewNote}</Descriptions.Item>
            )}
          </Descriptions>
          <Space wrap>
            {(plan.status === 'draft' || plan.status === 'returned') && (
              <Button type="primary" onClick={() => move('submit')} data-testid="plan-submit">
                {t('activities.action.submit')}
              </Button>
            )}
            {plan.canApprove && (
              <>
                <Button type="primary" onClick={() => move('approve')} data-testid="plan-approve">
                  {t('activities.action.approve')}
                </Button>
                <Input
                  style={{ width: 220 }}
                  placeholder={t('activities.returnNote')}
                  value={note}
                  onChange={(e) => setNote(e.target.value)}
                />
                <Button danger onClick={() => move('return', { note })}>
                  {t('activities.action.return')}
                </Button>
              </>
            )}
            {plan.status === 'approved' && canWrite && (
              <Space>
                <Input
                  type="datetime-local"
                  value={closes}
                  onChange={(e) => setCloses(e.target.value)}
                  aria-label={t('activities.open.signupClosesAt')}
                  data-testid="plan-open-closes"
                />
                <Button
                  type="primary"
                  disabled={!closes}
                  onClick={() => move('activities', { signupClosesAt: shanghaiIso(closes) })}
                  data-testid="plan-open"
                >
                  {t('activities.action.open')}
                </Button>
              </Space>
            )}
          </Space>
          <Card size="small" title={`${t('activities.field.comments')} (${plan.comments.length})`}>
            <List
              dataSource={plan.comments}
              locale={{ emptyText: <Empty description={t('activities.phone.noComments')} /> }}
              renderItem={(c) => (
                <List.Item data-testid={`comment-${c.id}`}>
                  <Space direction="vertical" style={{ width: '100%' }}>
                    <Typography.Text strong>{c.author}</Typography.Text>
                    {/* React escapes the text: a comment with markup shows as typed */}
                    <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{c.text}</Typography.Paragraph>
                    {c.reply !== null ? (
                      <Space direction="vertical">
                        <Tag color={c.adopted ? 'green' : 'orange'} data-testid={`comment-state-${c.id}`}>
                          {c.adopted ? t('activities.reply.adopted') : t('activities.reply.notAdopted')}
                        </Tag>
                        <Typography.Text>{c.reply}</Typography.Text>
                        {c.reason && <Typography.Text type="secondary">{c.reason}</Typography.Text>}
                      </Space>
                    ) : (
                      canWrite && <CommentReply commentId={c.id} planId={plan.id} />
                    )}
                  </Space>
                </List.Item>
              )}
            />
          </Card>
          <Card size="small" title={t('activities.events')}>
            <List
              size="small"
              dataSource={plan.events}
              renderItem={(e) => (
                <List.Item>
                  {formatTime(e.at)} · {e.actor ?? '—'} · {t(`activities.status.${e.toStatus}`)}
                  {e.note ? ` · ${e.note}` : ''}
                </List.Item>
              )}
            />
          </Card>
        </Space>
      )}
    </Drawer>
  );
}

function PlansTab() {
  const { t } = useTranslation();
  const { data, isLoading } = usePlans();
  const [open, setOpen] = useState<number | null>(null);
  const columns: TableColumnsType<Plan> = [
    { title: t('activities.field.title'), dataIndex: 'title' },
    { title: t('activities.field.org'), render: (_, p) => p.org.name },
    { title: t('activities.field.category'), render: (_, p) => p.category.name },
    { title: t('activities.field.startsAt'), render: (_, p) => formatTime(p.startsAt) },
    { title: t('activities.field.comments'), dataIndex: 'commentCount' },
    { title: t('activities.field.status'), render: (_, p) => <StatusTag status={p.status} /> },
    {
      title: '',
      render: (_, p) => (
        <Button size="small" onClick={() => setOpen(p.id)} data-testid={`plan-detail-${p.id}`}>
          {t('activities.action.detail')}
        </Button>
      ),
    },
  ];
  return (
    <>
      <Table rowKey="id" loading={isLoading} dataSource={data?.items ?? []} columns={columns} size="middle" />
      <PlanDrawer id={open} onClose={() => setOpen(null)} />
    </>
  );
}

// ── activities ─────────────────────────────────────────────────────────────────────────────

function SummaryModal({ id, onClose }: { id: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  const act = useAct();
  const [text, setText] = useState('');
  const [outcome, setOutcome] = useState('');
  const [spend, setSpend] = useState<number | null>(0);
  const [photos, setPhotos] = useState<PickedPhoto[]>([]);
  return (
    <Modal
      open={id !== null}
      title={t('activities.summary.title')}
      onCancel={onClose}
      okButtonProps={{ id: 'summary-submit' }}
      onOk={async () => {
        const ok = await act(
          () =>
            api('POST', `/api/activities/${id}/summary`, {
              body: {
                text,
                outcome: outcome || undefined,
                spendFen: Math.round((spend ?? 0) * 100),
                photos: toUploads(photos),
              },
            }),
          t('activities.done'),
        );
        if (ok) {
          setPhotos([]);
          onClose();
        }
      }}
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Input.TextArea
          rows={4}
          placeholder={t('activities.summary.text')}
          value={text}
          onChange={(e) => setText(e.target.value)}
          data-testid="summary-text"
        />
        <Input
          placeholder={t('activities.summary.outcome')}
          value={outcome}
          onChange={(e) => setOutcome(e.target.value)}
        />
        <InputNumber
          min={0}
          step={0.01}
          addonBefore={t('activities.summary.spend')}
          value={spend}
          onChange={(v) => setSpend(v)}
        />
        <PhotoPicker value={photos} onChange={setPhotos} max={MAX_SUMMARY_PHOTOS} testId="summary-photos" />
      </Space>
    </Modal>
  );
}

function SignupsDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { data } = useSignups(id);
  const { data: activity } = useActivity(id);
  return (
    <Drawer open={id !== null} onClose={onClose} width={560} title={activity?.title}>
      {activity?.qrUrl && (
        <Typography.Paragraph copyable={{ text: activity.qrUrl }}>
          <a href={activity.qrUrl} target="_blank" rel="noreferrer">
            {t('activities.action.qr')}
          </a>
        </Typography.Paragraph>
      )}
      {activity?.summary && (
        <Card size="small" title={t('activities.phone.summary')} style={{ marginBottom: 12 }}>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{activity.summary.text}</Typography.Paragraph>
          {activity.summary.outcome && <Typography.Paragraph>{activity.summary.outcome}</Typography.Paragraph>}
          <PhotoGallery photos={activity.summary.photos} testId="summary-photo-gallery" />
        </Card>
      )}
      <Table
        rowKey="id"
        size="small"
        dataSource={data?.items ?? []}
        pagination={false}
        columns={[
          { title: t('activities.phone.name'), dataIndex: 'name' },
          { title: t('activities.phone.phone'), dataIndex: 'phone' },
          { title: t('activities.field.status'), dataIndex: 'status' },
          {
            title: t('activities.field.attended'),
            render: (_, s) => (s.checkedInAt ? formatTime(s.checkedInAt) : s.noShow ? '×' : ''),
          },
        ]}
      />
    </Drawer>
  );
}

function ActivitiesTab() {
  const { t } = useTranslation();
  const act = useAct();
  const canWrite = useCan('activity.write');
  const { data, isLoading } = useActivities();
  const [summary, setSummary] = useState<number | null>(null);
  const [signups, setSignups] = useState<number | null>(null);
  const move = (id: number, action: string) =>
    act(() => api('POST', `/api/activities/${id}/${action}`, { body: {} }), t('activities.done'));
  const columns: TableColumnsType<Activity> = [
    { title: t('activities.field.title'), dataIndex: 'title' },
    { title: t('activities.field.org'), render: (_, a) => a.org.name },
    { title: t('activities.field.startsAt'), render: (_, a) => formatTime(a.startsAt) },
    { title: t('activities.field.signups'), render: (_, a) => `${a.admitted}/${a.capacity} (+${a.waitlisted})` },
    { title: t('activities.field.attended'), dataIndex: 'attended' },
    { title: t('activities.field.status'), render: (_, a) => <StatusTag status={a.status} /> },
    {
      title: '',
      render: (_, a) => (
        <Space wrap>
          <Button size="small" onClick={() => setSignups(a.id)} data-testid={`activity-signups-${a.id}`}>
            {t('activities.action.detail')}
          </Button>
          {canWrite && a.status === 'open' && (
            <Button size="small" onClick={() => move(a.id, 'start')} data-testid={`activity-start-${a.id}`}>
              {t('activities.action.start')}
            </Button>
          )}
          {canWrite && a.status === 'running' && (
            <Button size="small" onClick={() => move(a.id, 'finish')} data-testid={`activity-finish-${a.id}`}>
              {t('activities.action.finish')}
            </Button>
          )}
          {canWrite && a.status === 'finished' && (
            <Button
              size="small"
              type="primary"
              onClick={() => setSummary(a.id)}
              data-testid={`activity-summary-${a.id}`}
            >
              {t('activities.action.summary')}
            </Button>
          )}
          {canWrite && a.status === 'summarised' && (
            <Button
              size="small"
              type="primary"
              onClick={() => move(a.id, 'publish')}
              data-testid={`activity-publish-${a.id}`}
            >
              {t('activities.action.publish')}
            </Button>
          )}
        </Space>
      ),
    },
  ];
  return (
    <>
      <Table rowKey="id" loading={isLoading} dataSource={data?.items ?? []} columns={columns} size="middle" />
      <SummaryModal id={summary} onClose={() => setSummary(null)} />
      <SignupsDrawer id={signups} onClose={() => setSignups(null)} />
    </>
  );
}

// ── themes, teams, figures ─────────────────────────────────────────────────────────────────

function ThemesTab() {
  const { t } = useTranslation();
  const { data, isLoading } = useThemes();
  const columns: TableColumnsType<Theme> = [
    { title: t('activities.field.theme'), dataIndex: 'title' },
    { title: t('activities.field.org'), render: (_, x) => x.org.name },
    { title: t('activities.field.deadline'), render: (_, x) => formatTime(x.deadline) },
    { title: t('activities.field.ideas'), dataIndex: 'ideaCount' },
    { title: t('activities.tab.plans'), dataIndex: 'planCount' },
    { title: t('activities.field.status'), render: (_, x) => <StatusTag status={x.status} /> },
  ];
  return <Table rowKey="id" loading={isLoading} dataSource={data?.items ?? []} columns={columns} size="middle" />;
}

function TeamsTab() {
  const { t } = useTranslation();
  const { data, isLoading } = useTeams();
  const columns: TableColumnsType<Team> = [
    { title: t('activities.field.title'), dataIndex: 'name' },
    { title: t('activities.field.kind'), render: (_, x) => t(`activities.kind.${x.kind}`) },
    { title: t('activities.field.category'), render: (_, x) => x.category.name },
    { title: t('activities.field.leadUnit'), render: (_, x) => x.leadOrg?.name ?? x.leadUnit ?? '—' },
    { title: t('activities.field.members'), render: (_, x) => `${x.members} (${x.backbones}+${x.reserves})` },
    {
      title: t('activities.field.warnings'),
      render: (_, x) =>
        x.warnings.map((w) => (
          <Tag key={w} color="orange">
            {t(`activities.warning.${w}`)}
          </Tag>
        )),
    },
  ];
  return <Table rowKey="id" loading={isLoading} dataSource={data?.items ?? []} columns={columns} size="middle" />;
}

function FiguresTab() {
  const { t } = useTranslation();
  const { funnel, participation } = useFigures();
  const f = funnel.data;
  const p = participation.data;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Card title={t('activities.figures.funnel')} data-testid="activity-funnel">
        <Row gutter={16}>
          {(['themes', 'plans', 'activities', 'summaries', 'published'] as const).map((k) => (
            <Col key={k} xs={12} md={4}>
              <Statistic title={t(`activities.figures.${k}`)} value={f?.[k] ?? 0} />
            </Col>
          ))}
        </Row>
      </Card>
      <Card title={t('activities.figures.participation')}>
        <Statistic title={t('activities.figures.rate')} value={p?.total.rate ?? 0} suffix="%" />
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={p?.towns ?? []}
          columns={[
            { title: t('activities.figures.town'), dataIndex: 'name' },
            { title: t('activities.figures.registered'), dataIndex: 'registered' },
            { title: t('activities.figures.participants'), dataIndex: 'participants' },
            { title: t('activities.figures.rate'), dataIndex: 'rate' },
          ]}
        />
      </Card>
    </Space>
  );
}

/** 活动与服务队 the console page: plans (comments, approval), activities, themes, teams, figures. */
export function ActivitiesPage() {
  const { t } = useTranslation();
  return (
    <Card title={t('activities.title')} data-testid="activities-page">
      <Tabs
        items={[
          { key: 'plans', label: t('activities.tab.plans'), children: <PlansTab /> },
          {
            key: 'activities',
            label: <span data-testid="tab-activities">{t('activities.tab.activities')}</span>,
            children: <ActivitiesTab />,
          },
          { key: 'themes', label: t('activities.tab.themes'), children: <ThemesTab /> },
          { key: 'teams', label: t('activities.tab.teams'), children: <TeamsTab /> },
          { key: 'figures', label: t('activities.tab.figures'), children: <FiguresTab /> },
          { key: 'settings', label: t('activitiesMore.settings.tab'), children: <ApprovalSettingsTab /> },
        ]}
      />
    </Card>
  );
}
