import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Radio, Result, Select, Space, Spin, Steps, Typography } from 'antd';
import { type ReactNode, useEffect, useLayoutEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import type { z } from 'zod';
import type { CaptchaAnswer } from '../../../../domain/captcha.ts';
import {
  ORDER_CATEGORIES,
  type PublicMenuListSchema,
  type PublicOrderViewSchema,
  RATING_LEVEL_SCORE,
  RATING_LEVELS,
  ratingLevel,
} from '../../../../domain/order.ts';
import { MAX_REQUEST_PHOTOS } from '../../../../domain/photo.ts';
import { PhotoPicker, type PickedPhoto, toUploads } from '../../components/photos/Photos.tsx';
import { ApiError, api } from '../../lib/api.ts';
import { formatTime, i18n } from '../../lib/i18n.ts';
import { CaptchaField, isCaptchaProblem } from '../captcha/CaptchaField.tsx';

/**
 * The resident's phone pages (375 px, no account, zh-CN): 我要点单 with an SMS code, the tracking page
 * by tracking number, and the rating on it. Only public endpoints; the access token of a new order is
 * kept in this browser so its owner can follow and rate it without typing the phone again.
 */

type View = z.infer<typeof PublicOrderViewSchema>;
type Menu = z.infer<typeof PublicMenuListSchema>;

const tokenKey = (trackingNo: string) => `jingwei.order.${trackingNo}`;
function savedToken(trackingNo: string): string | null {
  try {
    return localStorage.getItem(tokenKey(trackingNo));
  } catch {
    return null;
  }
}
function saveToken(trackingNo: string, token: string) {
  try {
    localStorage.setItem(tokenKey(trackingNo), token);
  } catch {
    // private mode: the phone's last four digits still work
  }
}

function newClientId(): string {
  const bytes = new Uint8Array(12);
  if (globalThis.crypto?.getRandomValues) globalThis.crypto.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The phone pages speak Chinese (the brief of the resident pages); English only when the browser asks first. */
function usePhoneLang(): boolean {
  const [ready, setReady] = useState(false);
  useLayoutEffect(() => {
    const first = typeof navigator === 'undefined' ? '' : (navigator.languages?.[0] ?? navigator.language ?? '');
    const lang = first.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
    document.documentElement.lang = lang;
    void i18n.changeLanguage(lang).then(() => {
      document.title = i18n.t('orders.public.heading');
      setReady(true);
    });
  }, []);
  return ready;
}

function Shell({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  const { t } = useTranslation();
  return (
    <div style={{ minHeight: '100vh', background: '#f5f5f5', display: 'flex', justifyContent: 'center' }}>
      <div
        style={{ width: '100%', maxWidth: 480, padding: '16px 14px 32px', boxSizing: 'border-box' }}
        data-testid={testId}
      >
        <div style={{ textAlign: 'center', margin: '4px 0 14px' }}>
          <Typography.Title level={4} style={{ margin: 0, color: '#c8161d' }}>
            {title}
          </Typography.Title>
          <Typography.Text type="secondary">{t('orders.public.subtitle')}</Typography.Text>
        </div>
        {children}
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center', fontSize: 12, marginTop: 12 }}>
          {t('orders.public.footer')}
        </Typography.Paragraph>
      </div>
    </div>
  );
}

const card = { background: '#fff', borderRadius: 8, padding: '16px 14px 4px' } as const;

type OrderValues = {
  name: string;
  phone: string;
  code: string;
  category: string;
  menuItemId?: number;
  title: string;
  description?: string;
  address?: string;
  captcha?: CaptchaAnswer;
};

/** 我要点单 the public order form of a district: name, phone with SMS code, category or offered service, text. */
export function PublicOrderPage() {
  const { districtId = '' } = useParams();
  const ready = usePhoneLang();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [form] = Form.useForm<OrderValues>();
  const [clientId, setClientId] = useState(newClientId);
  const [cooldown, setCooldown] = useState(0);
  const [failure, setFailure] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [location, setLocation] = useState<{ lon: number; lat: number } | null>(null);
  // 现场照片: sent with the request only (there is no upload on its own)
  const [photos, setPhotos] = useState<PickedPhoto[]>([]);
  // 图形验证码 after repeated attempts (CAPTCHA_REQUIRED); a new image after each refusal
  const [captchaNeeded, setCaptchaNeeded] = useState(false);
  const [captchaKey, setCaptchaKey] = useState(0);
  const menu = useQuery({
    queryKey: ['public-menu', districtId],
    queryFn: () =>
      api<Menu>('GET', `/api/public/districts/${encodeURIComponent(districtId)}/service-menu`, { silentSession: true }),
    enabled: ready && /^\d+$/.test(districtId),
    retry: false,
  });
  useEffect(() => {
    if (cooldown <= 0) return;
    const timer = setTimeout(() => setCooldown((c) => c - 1), 1000);
    return () => clearTimeout(timer);
  }, [cooldown]);

  const fail = (error: unknown) => {
    const problem = error instanceof ApiError ? error.problem : null;
    setFailure(problem ? problem.title : t('error.network'));
    if (error instanceof ApiError && error.fieldErrors.length) {
      form.setFields(
        error.fieldErrors.map((e) => ({ name: e.field.split('.')[0] as keyof OrderValues, errors: [e.message] })),
      );
    }
  };

  const sendCode = async () => {
    setFailure(null);
    try {
      await form.validateFields(['phone']);
    } catch {
      return;
    }
    try {
      await api('POST', '/api/public/sms-codes', {
        silentSession: true,
        body: { districtId: Number(districtId), phone: form.getFieldValue('phone').trim(), purpose: 'order' },
      });
      setCooldown(60);
    } catch (error) {
      fail(error);
    }
  };

  const submit = async (v: OrderValues) => {
    setSending(true);
    setFailure(null);
    try {
      const created = await api<{ trackingNo: string; token: string }>(
        'POST',
        `/api/public/districts/${encodeURIComponent(districtId)}/orders`,
        {
          silentSession: true,
          body: {
            name: v.name.trim(),
            phone: v.phone.trim(),
            code: v.code.trim(),
            category: v.category,
            ...(v.menuItemId ? { menuItemId: v.menuItemId } : {}),
            title: v.title.trim(),
            ...(v.description?.trim() ? { description: v.description.trim() } : {}),
            ...(v.address?.trim() ? { address: v.address.trim() } : {}),
            ...(location ? { location } : {}),
            ...(photos.length ? { photos: toUploads(photos) } : {}),
            clientId,
            ...(captchaNeeded && v.captcha?.text ? { captcha: { id: v.captcha.id, text: v.captcha.text.trim() } } : {}),
          },
        },
      );
      saveToken(created.trackingNo, created.token);
      navigate(`/t/${created.trackingNo}?new=1`);
    } catch (error) {
      fail(error);
      if (isCaptchaProblem(error)) {
        setCaptchaNeeded(true);
        setCaptchaKey((k) => k + 1);
      }
      if (error instanceof ApiError && error.status !== 0) setClientId(newClientId());
    } finally {
      setSending(false);
    }
  };

  if (!ready) return <Spin style={{ display: 'block', margin: '64px auto' }} />;
  return (
    <Shell title={t('orders.public.heading')} testId="public-order-page">
      {menu.isError ? (
        <Result status="warning" title={(menu.error as ApiError).problem?.title ?? t('error.network')} />
      ) : (
        <div style={card}>
          {menu.data && (
            <Typography.Paragraph strong style={{ marginBottom: 12 }} data-testid="public-order-district">
              {menu.data.districtName}
            </Typography.Paragraph>
          )}
          <Form<OrderValues>
            form={form}
            layout="vertical"
            size="large"
            requiredMark={false}
            initialValues={{ category: 'livelihood' }}
            onFinish={(v) => void submit(v)}
            data-testid="public-order-form"
          >
            <Form.Item
              name="name"
              label={t('orders.public.name')}
              rules={[{ required: true, whitespace: true, message: t('orders.public.required') }, { max: 50 }]}
            >
              <Input autoComplete="name" data-testid="po-name" />
            </Form.Item>
            <Form.Item
              name="phone"
              label={t('orders.public.phone')}
              rules={[{ required: true, whitespace: true, message: t('orders.public.required') }]}
            >
              <Input type="tel" inputMode="tel" autoComplete="tel" maxLength={20} data-testid="po-phone" />
            </Form.Item>
            <Form.Item label={t('orders.public.code')} required>
              <Space.Compact style={{ width: '100%' }}>
                <Form.Item
                  name="code"
                  noStyle
                  rules={[{ required: true, whitespace: true, message: t('orders.public.required') }]}
                >
                  <Input inputMode="numeric" maxLength={6} autoComplete="one-time-code" data-testid="po-code" />
                </Form.Item>
                <Button disabled={cooldown > 0} onClick={() => void sendCode()} data-testid="po-send-code">
                  {cooldown > 0 ? t('orders.public.resend', { s: cooldown }) : t('orders.public.sendCode')}
                </Button>
              </Space.Compact>
            </Form.Item>
            {cooldown > 0 && (
              <Typography.Text
                type="success"
                style={{ display: 'block', marginTop: -12, marginBottom: 12 }}
                data-testid="po-code-sent"
              >
                {t('orders.public.codeSent')}
              </Typography.Text>
            )}
            {!!menu.data?.items.length && (
              <Form.Item name="menuItemId" label={t('orders.public.menu')}>
                <Select
                  allowClear
                  placeholder={t('orders.public.menuNone')}
                  options={menu.data.items.map((m) => ({ value: m.id, label: `${m.title} · ${m.orgName}` }))}
                  data-testid="po-menu"
                />
              </Form.Item>
            )}
            <Form.Item name="category" label={t('orders.public.category')}>
              <Select
                options={ORDER_CATEGORIES.map((c) => ({ value: c, label: t(`orders.category.${c}`) }))}
                data-testid="po-category"
              />
            </Form.Item>
            <Form.Item
              name="title"
              label={t('orders.public.title')}
              rules={[{ required: true, whitespace: true, message: t('orders.public.required') }, { max: 100 }]}
            >
              <Input maxLength={100} data-testid="po-title" />
            </Form.Item>
            <Form.Item name="description" label={t('orders.public.description')}>
              <Input.TextArea rows={3} maxLength={2000} data-testid="po-description" />
            </Form.Item>
            <Form.Item name="address" label={t('orders.public.address')}>
              <Input maxLength={200} data-testid="po-address" />
            </Form.Item>
            <Form.Item label={t('photos.add')}>
              <PhotoPicker value={photos} onChange={setPhotos} max={MAX_REQUEST_PHOTOS} testId="po-photos" />
            </Form.Item>
            {'geolocation' in navigator && (
              <Form.Item>
                <Button
                  block
                  onClick={() =>
                    navigator.geolocation.getCurrentPosition(
                      (p) => setLocation({ lon: p.coords.longitude, lat: p.coords.latitude }),
                      () => setLocation(null),
                      { timeout: 8000 },
                    )
                  }
                >
                  {location ? `${t('orders.public.located')} ✓` : t('orders.public.useLocation')}
                </Button>
              </Form.Item>
            )}
            <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
              {t('orders.public.privacy')}
            </Typography.Paragraph>
            {captchaNeeded && (
              <Form.Item name="captcha" label={t('captcha.label')} extra={t('captcha.hint')}>
                <CaptchaField refreshKey={captchaKey} testId="po-captcha" />
              </Form.Item>
            )}
            {failure && (
              <Alert type="error" showIcon message={failure} style={{ marginBottom: 12 }} data-testid="po-error" />
            )}
            <Form.Item>
              <Button type="primary" htmlType="submit" block loading={sending} data-testid="po-submit">
                {t('orders.public.submit')}
              </Button>
            </Form.Item>
          </Form>
        </div>
      )}
    </Shell>
  );
}

const STEPS = ['submitted', 'dispatched', 'accepted', 'done', 'rated'] as const;
function stepOf(status: View['status']): number {
  if (status === 'classified' || status === 'returned') return 0;
  if (status === 'in_progress') return 2;
  return Math.max(0, (STEPS as readonly string[]).indexOf(status));
}

/** 进度查询 and 评单: the tracking page of an order (token of this browser or the phone's last four digits). */
export function TrackOrderPage() {
  const { tracking = '' } = useParams();
  const trackingNo = tracking.trim().toUpperCase();
  const ready = usePhoneLang();
  const { t } = useTranslation();
  const [proof, setProof] = useState<{ token?: string; phoneLast4?: string } | null>(() => {
    const token = savedToken(trackingNo);
    return token ? { token } : null;
  });
  const [last4, setLast4] = useState('');
  const isNew = typeof window !== 'undefined' && new URLSearchParams(window.location.search).has('new');
  const view = useQuery({
    queryKey: ['public-track', trackingNo, proof],
    queryFn: () =>
      api<View>('POST', `/api/public/orders/${encodeURIComponent(trackingNo)}/view`, {
        silentSession: true,
        body: proof,
      }),
    enabled: ready && proof !== null,
    retry: false,
  });

  if (!ready) return <Spin style={{ display: 'block', margin: '64px auto' }} />;
  return (
    <Shell title={t('orders.public.trackHeading')} testId="track-page">
      {isNew && (
        <div data-testid="track-created">
          <Result
            status="success"
            title={t('orders.public.created')}
            subTitle={t('orders.public.keepNo')}
            style={{ padding: '8px 0 16px' }}
          />
        </div>
      )}
      <div style={{ ...card, paddingBottom: 12, marginBottom: 12 }}>
        <Typography.Text type="secondary">{t('orders.public.trackingNo')}</Typography.Text>
        <Typography.Title level={4} copyable style={{ margin: 0, letterSpacing: 1 }} data-testid="track-number">
          {trackingNo}
        </Typography.Title>
      </div>
      {(proof === null || view.isError) && (
        <div style={{ ...card, paddingBottom: 12 }}>
          {view.isError && (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 12 }}
              message={view.error instanceof ApiError ? view.error.problem.title : t('error.network')}
              data-testid="track-error"
            />
          )}
          <Space.Compact style={{ width: '100%' }}>
            <Input
              size="large"
              inputMode="numeric"
              maxLength={4}
              placeholder={t('orders.public.last4')}
              value={last4}
              onChange={(e) => setLast4(e.target.value.replace(/\D/g, ''))}
              data-testid="track-last4"
            />
            <Button
              size="large"
              type="primary"
              disabled={last4.length !== 4}
              onClick={() => setProof({ phoneLast4: last4 })}
              data-testid="track-show"
            >
              {t('orders.public.view')}
            </Button>
          </Space.Compact>
        </div>
      )}
      {proof !== null && view.isPending && <Spin style={{ display: 'block', margin: '32px auto' }} />}
      {view.data && <TrackView view={view.data} proof={proof!} onRated={() => void view.refetch()} />}
    </Shell>
  );
}

function TrackView({
  view,
  proof,
  onRated,
}: {
  view: View;
  proof: { token?: string; phoneLast4?: string };
  onRated: () => void;
}) {
  const { t } = useTranslation();
  const closed = view.status === 'rejected' || view.status === 'cancelled';
  return (
    <>
      <div style={{ ...card, paddingBottom: 12, marginBottom: 12 }} data-testid="track-view" data-status={view.status}>
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {view.title}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          {t(`orders.category.${view.category}`)} · {formatTime(view.createdAt)}
        </Typography.Paragraph>
        <Typography.Paragraph strong data-testid="track-status">
          {t(`orders.status.${view.status}`)}
        </Typography.Paragraph>
        {closed ? (
          <Alert type="warning" message={view.statusReason} />
        ) : (
          <Steps
            direction="vertical"
            size="small"
            current={stepOf(view.status)}
            items={STEPS.map((s) => ({ title: t(`orders.status.${s}`) }))}
          />
        )}
        {view.assigneeName && (
          <div data-testid="track-assignee">
            {t('orders.public.assignee')}：{view.assigneeName}
          </div>
        )}
        {view.respondDueAt && (
          <div>
            {t('orders.public.respondBy')}：{formatTime(view.respondDueAt)}
          </div>
        )}
        {view.completeDueAt && (
          <div>
            {t('orders.public.completeBy')}：{formatTime(view.completeDueAt)}
          </div>
        )}
        {view.completionNote && (
          <div data-testid="track-result">
            {t('orders.public.result')}：{view.completionNote}
          </div>
        )}
      </div>
      {view.canRate && (
        <RateForm trackingNo={view.trackingNo} districtId={view.districtId} proof={proof} onRated={onRated} />
      )}
      {view.rating && (
        <div style={{ ...card, paddingBottom: 12, marginBottom: 12 }} data-testid="track-rated">
          <Typography.Text strong>{t('orders.public.yourRating')}：</Typography.Text>
          {t(`orders.rating.${ratingLevel(view.rating.score)}`)}
          {view.rating.comment && <div>{view.rating.comment}</div>}
        </div>
      )}
      <div style={{ ...card, paddingBottom: 12 }}>
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {t('orders.public.timeline')}
        </Typography.Title>
        <div data-testid="track-timeline">
          {view.timeline.map((e) => (
            <div
              key={`${e.at}-${e.action}`}
              style={{ display: 'flex', justifyContent: 'space-between', fontSize: 13, padding: '2px 0' }}
            >
              <span>{t(`orders.event.${e.action}`, { defaultValue: e.action })}</span>
              <span style={{ color: 'rgba(0,0,0,0.45)' }}>{formatTime(e.at)}</span>
            </div>
          ))}
        </div>
      </div>
    </>
  );
}

function RateForm({
  trackingNo,
  districtId,
  proof,
  onRated,
}: {
  trackingNo: string;
  districtId: number;
  proof: { token?: string; phoneLast4?: string };
  onRated: () => void;
}) {
  const { t } = useTranslation();
  const [level, setLevel] = useState<(typeof RATING_LEVELS)[number] | null>(null);
  const [comment, setComment] = useState('');
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [done, setDone] = useState(false);
  // Without this browser's token the requester proves the phone with a code of purpose "rate".
  const needsCode = !proof.token;
  const submit = async () => {
    if (!level) return;
    setSending(true);
    setFailure(null);
    try {
      await api('POST', `/api/public/orders/${encodeURIComponent(trackingNo)}/rating`, {
        silentSession: true,
        body: {
          ...(needsCode ? { phone: phone.trim(), code: code.trim() } : { token: proof.token }),
          score: RATING_LEVEL_SCORE[level],
          ...(comment.trim() ? { comment: comment.trim() } : {}),
        },
      });
      setDone(true);
      onRated();
    } catch (error) {
      setFailure(error instanceof ApiError ? error.problem.title : t('error.network'));
    } finally {
      setSending(false);
    }
  };
  if (done) {
    return (
      <div data-testid="rate-done">
        <Result status="success" title={t('orders.public.rated')} />
      </div>
    );
  }
  return (
    <div style={{ ...card, paddingBottom: 12, marginBottom: 12 }} data-testid="rate-form">
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {t('orders.public.rateHeading')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('orders.public.rateHint')}</Typography.Paragraph>
      <Radio.Group value={level} onChange={(e) => setLevel(e.target.value)} style={{ width: '100%', marginBottom: 12 }}>
        <Space direction="vertical" style={{ width: '100%' }}>
          {RATING_LEVELS.map((l) => (
            <Radio key={l} value={l} data-testid={`rate-${l}`}>
              {t(`orders.rating.${l}`)}
            </Radio>
          ))}
        </Space>
      </Radio.Group>
      <Input.TextArea
        rows={2}
        maxLength={500}
        placeholder={t('orders.public.comment')}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        style={{ marginBottom: 12 }}
        data-testid="rate-comment"
      />
      {needsCode && (
        <Space direction="vertical" style={{ width: '100%', marginBottom: 12 }}>
          <Input
            type="tel"
            placeholder={t('orders.public.phone')}
            value={phone}
            onChange={(e) => setPhone(e.target.value)}
            data-testid="rate-phone"
          />
          <Space.Compact style={{ width: '100%' }}>
            <Input
              inputMode="numeric"
              maxLength={6}
              placeholder={t('orders.public.code')}
              value={code}
              onChange={(e) => setCode(e.target.value)}
              data-testid="rate-code"
            />
            <Button
              onClick={async () => {
                try {
                  await api('POST', '/api/public/sms-codes', {
                    silentSession: true,
                    body: { districtId, phone: phone.trim(), purpose: 'rate' },
                  });
                } catch (error) {
                  setFailure(error instanceof ApiError ? error.problem.title : t('error.network'));
                }
              }}
              data-testid="rate-send-code"
            >
              {t('orders.public.sendCode')}
            </Button>
          </Space.Compact>
        </Space>
      )}
      {failure && (
        <Alert type="error" showIcon message={failure} style={{ marginBottom: 12 }} data-testid="rate-error" />
      )}
      <Button
        type="primary"
        block
        size="large"
        disabled={!level}
        loading={sending}
        onClick={() => void submit()}
        data-testid="rate-submit"
      >
        {t('orders.public.rateSubmit')}
      </Button>
    </div>
  );
}
