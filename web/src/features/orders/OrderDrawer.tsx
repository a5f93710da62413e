import {
  Alert,
  App,
  Button,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Progress,
  Radio,
  Space,
  Spin,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ORDER_CLASSIFICATIONS,
  ORDER_TRANSITIONS,
  RATING_LEVEL_SCORE,
  RATING_LEVELS,
  ratingLevel,
} from '../../../../domain/order.ts';
import { MAX_WORK_PHOTOS } from '../../../../domain/photo.ts';
import { PhotoGallery, PhotoPicker, type PickedPhoto, toUploads } from '../../components/photos/Photos.tsx';
import { useApiError } from '../../components/useApiError.ts';
import { formatTime } from '../../lib/i18n.ts';
import { type OrderDetail, useOrder, useOrderAction, useSuggestions } from './api.ts';

export const STATUS_COLORS: Record<string, string> = {
  submitted: 'gold',
  classified: 'orange',
  dispatched: 'blue',
  accepted: 'cyan',
  in_progress: 'geekblue',
  done: 'green',
  rated: 'purple',
  rejected: 'default',
  cancelled: 'default',
  returned: 'volcano',
};

const can = (action: keyof typeof ORDER_TRANSITIONS, status: string) =>
  (ORDER_TRANSITIONS[action].from as readonly string[]).includes(status);

type Field = { name: string; label: string; kind: 'text' | 'area' | 'number'; required?: boolean };
type Prompt = { title: string; path: string; fields: Field[]; extra?: Record<string, unknown>; photos?: number };

/** A small form in a modal for the steps that take a note, a reason or a number. */
function PromptModal({ prompt, onClose }: { prompt: Prompt | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const action = useOrderAction();
  const showError = useApiError();
  const { message } = App.useApp();
  const [photos, setPhotos] = useState<PickedPhoto[]>([]);
  const close = () => {
    setPhotos([]);
    onClose();
  };
  return (
    <Modal
      open={prompt !== null}
      title={prompt?.title}
      onCancel={close}
      destroyOnHidden
      okButtonProps={{ loading: action.isPending, id: 'order-prompt-ok' }}
      onOk={() => form.submit()}
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={(values) => {
          if (!prompt) return;
          const body = Object.fromEntries(
            Object.entries({ ...values, ...prompt.extra }).filter(([, v]) => v !== undefined && v !== ''),
          );
          if (prompt.photos && photos.length) body.photos = toUploads(photos);
          action.mutate(
            { path: prompt.path, body },
            {
              onSuccess: () => {
                message.success(t('orders.done'));
                close();
              },
              onError: (e) => showError(e, form),
            },
          );
        }}
      >
        {prompt?.fields.map((f) => (
          <Form.Item
            key={f.name}
            name={f.name}
            label={f.label}
            rules={f.required ? [{ required: true, whitespace: true }] : []}
          >
            {f.kind === 'number' ? (
              <InputNumber min={0} style={{ width: '100%' }} data-testid={`order-prompt-${f.name}`} />
            ) : f.kind === 'area' ? (
              <Input.TextArea rows={3} maxLength={500} data-testid={`order-prompt-${f.name}`} />
            ) : (
              <Input maxLength={500} data-testid={`order-prompt-${f.name}`} />
            )}
          </Form.Item>
        ))}
        {prompt?.photos && (
          // No `name`: a named Form.Item would hand the picker the form's (empty) value instead of ours.
          <Form.Item label={t('photos.work')}>
            <PhotoPicker value={photos} onChange={setPhotos} max={prompt.photos} testId="order-prompt-photos" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

/** 推荐承接方: ranked candidates with the parts of their score, and the dispatch. */
function DispatchPanel({ order }: { order: OrderDetail }) {
  const { t } = useTranslation();
  const suggestions = useSuggestions(order.id, true);
  const action = useOrderAction();
  const showError = useApiError();
  const { message } = App.useApp();
  const [planned, setPlanned] = useState<number | null>(order.plannedParticipants);
  const w = suggestions.data?.weights;
  const dispatch = (orgId: number) =>
    action.mutate(
      {
        path: `/api/orders/${order.id}/dispatch`,
        body: { assigneeOrgId: orgId, ...(planned ? { plannedParticipants: planned } : {}) },
      },
      { onSuccess: () => message.success(t('orders.done')), onError: (e) => showError(e) },
    );
  const pct = (r: number | null) => (r === null ? t('orders.suggest.noRatings') : `${Math.round(r * 100)}%`);
  const km = (m: number | null) =>
    m === null ? t('orders.suggest.unknown') : m < 1000 ? `${m} m` : `${(m / 1000).toFixed(1)} km`;
  return (
    <div data-testid="order-suggestions">
      <Typography.Title level={5}>{t('orders.suggest.title')}</Typography.Title>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t('orders.suggest.hint')}
        {order.classification &&
          ` ${t(`orders.classification.${order.classification}`)}：${t(`orders.classHint.${order.classification}`)}`}
      </Typography.Paragraph>
      <Space style={{ marginBottom: 8 }}>
        <span>{t('orders.field.planned')}</span>
        <InputNumber min={1} value={planned} onChange={(v) => setPlanned(v)} data-testid="order-planned" />
      </Space>
      {suggestions.isPending ? (
        <Spin />
      ) : !suggestions.data?.items.length ? (
        <Empty description={t('orders.suggest.none')} />
      ) : (
        <List
          size="small"
          dataSource={suggestions.data.items}
          renderItem={(s, i) => (
            <List.Item
              data-testid={`suggestion-${s.org.id}`}
              actions={[
                <Button
                  key="pick"
                  size="small"
                  type={i === 0 ? 'primary' : 'default'}
                  disabled={s.declinedBefore || (order.status === 'dispatched' && order.assignee?.id === s.org.id)}
                  loading={action.isPending}
                  onClick={() => dispatch(s.org.id)}
                  data-testid={`dispatch-to-${s.org.id}`}
                >
                  {t('orders.suggest.pick')}
                </Button>,
              ]}
            >
              <List.Item.Meta
                title={
                  <Space size={4} wrap>
                    <Typography.Text strong>
                      {i + 1}. {s.org.name}
                    </Typography.Text>
                    <Tag color="red">
                      {t('orders.suggest.score')} {s.score}
                    </Tag>
                    {s.declinedBefore && <Tag>{t('orders.suggest.declined')}</Tag>}
                  </Space>
                }
                description={
                  <div data-testid={`suggestion-reasons-${s.org.id}`}>
                    <div style={{ fontSize: 12 }}>
                      {t('orders.suggest.why', {
                        category: s.categoryMatch ? '✓' : '✗',
                        distance: km(s.distanceMeters),
                        open: s.openOrders,
                        satisfaction: pct(s.satisfactionRate),
                      })}
                    </div>
                    {w && (
                      <Space size={4} wrap style={{ fontSize: 12 }}>
                        {(['category', 'distance', 'workload', 'satisfaction', 'kind'] as const).map((k) => (
                          <Tag key={k} color={s.components[k] > 0 ? 'blue' : undefined}>
                            {t(`orders.suggest.${k}`)} {s.components[k]}/{w[k]}
                          </Tag>
                        ))}
                      </Space>
                    )}
                  </div>
                }
              />
            </List.Item>
          )}
        />
      )}
    </div>
  );
}

/** The rating on behalf of the requester (满意 / 基本满意 / 不满意), by a cadre of the requesting side. */
function RateOnBehalf({ order, onDone }: { order: OrderDetail; onDone: () => void }) {
  const { t } = useTranslation();
  const [level, setLevel] = useState<(typeof RATING_LEVELS)[number]>('satisfied');
  const [comment, setComment] = useState('');
  const action = useOrderAction();
  const showError = useApiError();
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="order-rate-form">
      <Radio.Group value={level} onChange={(e) => setLevel(e.target.value)} optionType="button">
        {RATING_LEVELS.map((l) => (
          <Radio.Button key={l} value={l} data-testid={`order-rate-${l}`}>
            {t(`orders.rating.${l}`)}
          </Radio.Button>
        ))}
      </Radio.Group>
      <Input.TextArea rows={2} value={comment} onChange={(e) => setComment(e.target.value)} maxLength={500} />
      <Button
        type="primary"
        loading={action.isPending}
        onClick={() =>
          action.mutate(
            {
              path: `/api/orders/${order.id}/rating`,
              body: { score: RATING_LEVEL_SCORE[level], ...(comment.trim() ? { comment: comment.trim() } : {}) },
            },
            { onSuccess: onDone, onError: (e) => showError(e) },
          )
        }
        data-testid="order-rate-submit"
      >
        {t('orders.action.rate')}
      </Button>
    </Space>
  );
}

export function OrderDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  const detail = useOrder(id);
  const action = useOrderAction();
  const showError = useApiError();
  const { message } = App.useApp();
  const [prompt, setPrompt] = useState<Prompt | null>(null);
  const [rating, setRating] = useState(false);
  const o = detail.data;
  const step = (path: string, body: unknown = {}) =>
    action.mutate({ path, body }, { onSuccess: () => message.success(t('orders.done')), onError: (e) => showError(e) });

  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      width={720}
      title={o ? `${o.trackingNo} · ${o.title}` : ''}
      destroyOnHidden
      data-testid="order-drawer"
    >
      {!o ? (
        <Spin />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Space wrap>
            <Tag color={STATUS_COLORS[o.status]} data-testid="order-status" data-status={o.status}>
              {t(`orders.status.${o.status}`)}
            </Tag>
            {o.classification && <Tag>{t(`orders.classification.${o.classification}`)}</Tag>}
            <Tag>{t(`orders.source.${o.source}`)}</Tag>
            {o.overdue && <Tag color="red">{t('orders.overdue')}</Tag>}
          </Space>
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('orders.field.trackingNo')}>{o.trackingNo}</Descriptions.Item>
            <Descriptions.Item label={t('orders.filter.category')}>
              {t(`orders.category.${o.category}`)}
            </Descriptions.Item>
            <Descriptions.Item label={t('orders.field.org')}>{o.org.name}</Descriptions.Item>
            <Descriptions.Item label={t('orders.field.grid')}>{o.grid?.name ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('orders.field.requester')}>
              {[o.requesterName, o.requesterPhone].filter(Boolean).join(' ') || '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('orders.field.assignee')}>
              <span data-testid="order-assignee">{o.assignee?.name ?? '—'}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('orders.field.respondDueAt')}>{formatTime(o.respondDueAt)}</Descriptions.Item>
            <Descriptions.Item label={t('orders.field.completeDueAt')}>{formatTime(o.completeDueAt)}</Descriptions.Item>
            <Descriptions.Item label={t('orders.field.planned')}>{o.plannedParticipants ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('orders.field.participants')}>{o.participants ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('orders.field.description')} span={2}>
              {o.description ?? '—'}
            </Descriptions.Item>
            {o.completionNote && (
              <Descriptions.Item label={t('orders.field.completionNote')} span={2}>
                {o.completionNote}
              </Descriptions.Item>
            )}
            {o.rating && (
              <Descriptions.Item label={t('orders.field.rating')} span={2}>
                <span data-testid="order-rating">
                  {t(`orders.rating.${ratingLevel(o.rating.score)}`)} ({o.rating.score}★) {o.rating.comment ?? ''}
                </span>
              </Descriptions.Item>
            )}
          </Descriptions>
          {!!o.photos?.request.length && (
            <div>
              <Typography.Text type="secondary">{t('photos.request')}</Typography.Text>
              <PhotoGallery photos={o.photos.request} testId="order-request-photos" />
            </div>
          )}
          {!!o.photos?.work.length && (
            <div>
              <Typography.Text type="secondary">{t('photos.work')}</Typography.Text>
              <PhotoGallery photos={o.photos.work} testId="order-work-photos" />
            </div>
          )}
          {o.participantRatings && o.participantRatings.ratings > 0 && (
            <Alert type="info" message={t('orders.detail.participantRatings', o.participantRatings)} />
          )}

          <Space wrap data-testid="order-actions">
            {o.canDispatch &&
              can('classify', o.status) &&
              ORDER_CLASSIFICATIONS.map((c) => (
                <Button
                  key={c}
                  type={o.classification === c ? 'primary' : 'default'}
                  ghost={o.classification === c}
                  onClick={() => step(`/api/orders/${o.id}/classify`, { classification: c })}
                  data-testid={`order-classify-${c}`}
                >
                  {t(`orders.classification.${c}`)}
                </Button>
              ))}
            {o.canWork && can('accept', o.status) && (
              <Button type="primary" onClick={() => step(`/api/orders/${o.id}/accept`)} data-testid="order-accept">
                {t('orders.action.accept')}
              </Button>
            )}
            {o.canWork && can('decline', o.status) && (
              <Button
                danger
                onClick={() =>
                  setPrompt({
                    title: t('orders.form.declineTitle'),
                    path: `/api/orders/${o.id}/decline`,
                    fields: [{ name: 'reason', label: t('orders.field.reason'), kind: 'area', required: true }],
                  })
                }
                data-testid="order-decline"
              >
                {t('orders.action.decline')}
              </Button>
            )}
            {o.canWork && can('start', o.status) && (
              <Button onClick={() => step(`/api/orders/${o.id}/start`)} data-testid="order-start">
                {t('orders.action.start')}
              </Button>
            )}
            {o.canWork && (o.status === 'accepted' || o.status === 'in_progress') && (
              <Button
                onClick={() =>
                  setPrompt({
                    title: t('photos.progressTitle'),
                    path: `/api/orders/${o.id}/progress`,
                    fields: [{ name: 'note', label: t('photos.progressNote'), kind: 'area', required: true }],
                    photos: MAX_WORK_PHOTOS,
                  })
                }
                data-testid="order-progress"
              >
                {t('photos.progress')}
              </Button>
            )}
            {o.canWork && can('complete', o.status) && (
              <Button
                type="primary"
                onClick={() =>
                  setPrompt({
                    title: t('orders.form.completeTitle'),
                    path: `/api/orders/${o.id}/complete`,
                    fields: [
                      { name: 'note', label: t('orders.field.completionNote'), kind: 'area' },
                      { name: 'participants', label: t('orders.field.participants'), kind: 'number' },
                    ],
                    photos: MAX_WORK_PHOTOS,
                  })
                }
                data-testid="order-complete"
              >
                {t('orders.action.complete')}
              </Button>
            )}
            {o.canDispatch && o.status === 'done' && !o.rating && (
              <Button onClick={() => setRating((r) => !r)} data-testid="order-rate">
                {t('orders.action.rate')}
              </Button>
            )}
            {o.canDispatch && can('reject', o.status) && (
              <Button
                onClick={() =>
                  setPrompt({
                    title: t('orders.form.rejectTitle'),
                    path: `/api/orders/${o.id}/reject`,
                    fields: [{ name: 'reason', label: t('orders.field.reason'), kind: 'area', required: true }],
                  })
                }
              >
                {t('orders.action.reject')}
              </Button>
            )}
            {o.canDispatch && can('cancel', o.status) && (
              <Button
                onClick={() =>
                  setPrompt({
                    title: t('orders.form.cancelTitle'),
                    path: `/api/orders/${o.id}/cancel`,
                    fields: [{ name: 'reason', label: t('orders.field.reason'), kind: 'area', required: true }],
                  })
                }
              >
                {t('orders.action.cancel')}
              </Button>
            )}
          </Space>
          {rating && <RateOnBehalf order={o} onDone={() => setRating(false)} />}
          {o.canDispatch && o.classification && can('dispatch', o.status) && <DispatchPanel order={o} />}

          <div>
            <Typography.Title level={5}>{t('orders.detail.timeline')}</Typography.Title>
            <Timeline
              data-testid="order-timeline"
              items={o.events.map((e) => ({
                color: e.internal ? 'gray' : e.actorKind === 'system' ? 'red' : 'blue',
                children: (
                  <div>
                    <Space size={4} wrap>
                      <Typography.Text strong>
                        {t(`orders.event.${e.action}`, { defaultValue: e.action })}
                      </Typography.Text>
                      {e.org && <Typography.Text type="secondary">{e.org.name}</Typography.Text>}
                      {e.username && <Typography.Text type="secondary">@{e.username}</Typography.Text>}
                      {e.internal && <Tag>{t('orders.detail.internal')}</Tag>}
                    </Space>
                    <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)' }}>{formatTime(e.at)}</div>
                    {e.note && <div>{e.note}</div>}
                  </div>
                ),
              }))}
            />
          </div>
          {o.dispatches.length > 0 && (
            <div>
              <Typography.Title level={5}>{t('orders.detail.dispatches')}</Typography.Title>
              <List
                size="small"
                dataSource={o.dispatches}
                renderItem={(d) => (
                  <List.Item>
                    <Space wrap>
                      <span>{d.org.name}</span>
                      <Tag>{t(`orders.outcome.${d.outcome}`)}</Tag>
                      <span>{formatTime(d.dispatchedAt)}</span>
                      {d.reason && <Typography.Text type="secondary">{d.reason}</Typography.Text>}
                    </Space>
                  </List.Item>
                )}
              />
            </div>
          )}
          {!!o.reminders?.length && (
            <div>
              <Typography.Title level={5}>{t('orders.detail.reminders')}</Typography.Title>
              {o.reminders.map((r) => (
                <div key={`${r.kind}-${r.dispatchNo}`}>
                  <Tag color="red">{t(`orders.event.remind_${r.kind}`)}</Tag> {r.org?.name} {formatTime(r.at)}
                </div>
              ))}
            </div>
          )}
        </Space>
      )}
      <PromptModal prompt={prompt} onClose={() => setPrompt(null)} />
    </Drawer>
  );
}

/** A two-rate cell: the share with its fraction. */
export function RateCell({
  rate,
  testId,
}: {
  rate: { numerator: number; denominator: number; rate: number | null };
  testId?: string;
}) {
  const { t } = useTranslation();
  if (rate.rate === null) return <Typography.Text type="secondary">{t('orders.rates.none')}</Typography.Text>;
  const pct = Math.round(rate.rate * 1000) / 10;
  return (
    <Space size={4} data-testid={testId} data-rate={pct}>
      <Progress type="circle" size={28} percent={pct} showInfo={false} status={pct < 80 ? 'exception' : 'normal'} />
      <span>
        {pct}% ({rate.numerator}/{rate.denominator})
      </span>
    </Space>
  );
}
