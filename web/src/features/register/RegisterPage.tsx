import { EnvironmentOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Checkbox, Form, Input, Result, Segmented, Select, Space, Spin, Typography } from 'antd';
import { useLayoutEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import type { z } from 'zod';
import type { CaptchaAnswer } from '../../../../domain/captcha.ts';
import {
  CONSENT_VERSION,
  GENDERS,
  PERSON_CATEGORIES,
  POLITICAL_STATUSES,
  PRIVACY_NOTICE,
  type QrInfoSchema,
  YOUTH_MIN_AGE,
} from '../../../../domain/person.ts';
import type { QrIdentifyResultSchema, QrLocateResultSchema } from '../../../../domain/registration.ts';
import { ApiError, api } from '../../lib/api.ts';
import { i18n, type UiLang } from '../../lib/i18n.ts';
import { CaptchaField, isCaptchaProblem } from '../captcha/CaptchaField.tsx';
import { applyFieldErrors } from '../people/fieldErrors.ts';

type QrInfo = z.infer<typeof QrInfoSchema>;
type Outcome = 'registered' | 'pending' | 'review';
type Suggested = NonNullable<z.infer<typeof QrLocateResultSchema>['grid']>;
type Identified = z.infer<typeof QrIdentifyResultSchema>;

type Values = {
  name: string;
  phone: string;
  idMode: 'idNumber' | 'birthDate';
  idNumber?: string;
  birthDate?: string;
  gender?: 'male' | 'female';
  category: string;
  politicalStatus: string;
  guardianConsent?: { guardianName?: string; relation?: string };
  consent: boolean;
  captcha?: CaptchaAnswer;
};

/** The phone's language: English when the browser asks for it, Chinese otherwise. */
function browserLang(): UiLang {
  const langs = typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]);
  return langs[0]?.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

/** A random id made once per form, so a replayed submission is refused (works without a secure context). */
function newSubmissionId(): string {
  const bytes = new Uint8Array(18);
  if (globalThis.crypto?.getRandomValues) globalThis.crypto.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function ageFrom(birthDate: string | undefined): number | null {
  if (!birthDate || !/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) return null;
  const [y, m, d] = birthDate.split('-').map(Number);
  const now = new Date();
  let age = now.getFullYear() - y;
  if (now.getMonth() + 1 < m || (now.getMonth() + 1 === m && now.getDate() < d)) age--;
  return age;
}

const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

/**
 * 二维报到 the public phone page a registration QR code opens (375 px, WeChat's browser): what the code
 * is for, a short form with the privacy notice, and the outcome. No login.
 */
export function RegisterPage() {
  const { token = '' } = useParams();
  const { t } = useTranslation();
  const [langReady, setLangReady] = useState(false);
  useLayoutEffect(() => {
    const lang = browserLang();
    document.documentElement.lang = lang;
    void i18n.changeLanguage(lang).then(() => {
      document.title = i18n.t('register.pageTitle');
      setLangReady(true);
    });
  }, []);

  const info = useQuery({
    queryKey: ['qr', token, i18n.language],
    queryFn: () => api<QrInfo>('GET', `/api/qr/${encodeURIComponent(token)}`, { silentSession: true }),
    enabled: langReady,
    retry: false,
  });

  // a revoked, expired or forged code: the server's message already says to ask for a new one
  const tokenProblem = info.error instanceof ApiError && /^QR_TOKEN_/.test(info.error.code);
  return (
    <div
      style={{
        minHeight: '100vh',
        background: '#f5f5f5',
        display: 'flex',
        justifyContent: 'center',
        boxSizing: 'border-box',
      }}
    >
      <div
        style={{ width: '100%', maxWidth: 480, padding: '16px 14px 32px', boxSizing: 'border-box' }}
        data-testid="register-page"
      >
        <div style={{ textAlign: 'center', margin: '4px 0 14px' }}>
          <Typography.Title level={4} style={{ margin: 0, color: '#c8161d' }}>
            {t('register.heading')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('app.fullName')}</Typography.Text>
        </div>
        {!langReady || info.isPending ? (
          <Spin style={{ display: 'block', margin: '64px auto' }} />
        ) : info.isError ? (
          <div data-testid="register-unavailable">
            <Result
              status="warning"
              title={tokenProblem ? (info.error as ApiError).problem.title : t('register.loadFailed')}
              subTitle={tokenProblem ? undefined : info.error.message}
              extra={
                info.error instanceof ApiError && info.error.status === 0 ? (
                  <Button onClick={() => void info.refetch()}>{t('common.refresh')}</Button>
                ) : undefined
              }
            />
          </div>
        ) : (
          <RegisterForm token={token} info={info.data} />
        )}
      </div>
    </div>
  );
}

function RegisterForm({ token, info }: { token: string; info: QrInfo }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [submissionId, setSubmissionId] = useState(newSubmissionId);
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  // 图形验证码: shown once the server asked for it; a new image after every refusal (one answer each)
  const [captchaNeeded, setCaptchaNeeded] = useState(false);
  const [captchaKey, setCaptchaKey] = useState(0);
  // an org code: the grid chosen from the location suggestion
  const [chosenGrid, setChosenGrid] = useState<Suggested | null>(null);
  const [knownMode, setKnownMode] = useState(false);
  const [notFoundHint, setNotFoundHint] = useState(false);
  const idMode = Form.useWatch('idMode', form) ?? 'idNumber';
  const birthDate = Form.useWatch('birthDate', form);
  const age = idMode === 'birthDate' ? ageFrom(birthDate) : null;
  const needsGuardian = age !== null && age >= 0 && age < YOUTH_MIN_AGE;
  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';

  const place = (
    <Alert
      type="info"
      showIcon={false}
      style={{ marginBottom: 14 }}
      data-testid="register-place"
      message={
        <Space direction="vertical" size={0}>
          <Typography.Text strong>{info.gridName ?? chosenGrid?.name ?? info.orgName}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 13 }}>
            {info.gridName
              ? `${info.orgName} · ${info.districtName}`
              : chosenGrid
                ? `${chosenGrid.orgName} · ${info.districtName}`
                : info.districtName}
          </Typography.Text>
        </Space>
      }
    />
  );

  if (outcome) {
    return (
      <>
        {place}
        <div data-testid="register-result" data-status={outcome}>
          <Result
            status={outcome === 'registered' ? 'success' : 'info'}
            title={t(
              `register.result.${outcome === 'pending' && info.kind === 'org' && !chosenGrid ? 'pendingOrg' : outcome}`,
            )}
            subTitle={t(
              `register.result.${outcome === 'pending' && info.kind === 'org' && !chosenGrid ? 'pendingOrg' : outcome}Hint`,
            )}
          />
        </div>
      </>
    );
  }

  const submit = async (v: Values) => {
    setSending(true);
    setFailure(null);
    const guardian =
      needsGuardian && v.guardianConsent?.guardianName?.trim()
        ? { guardianName: v.guardianConsent.guardianName.trim(), relation: v.guardianConsent.relation?.trim() ?? '' }
        : null;
    try {
      const result = await api<{ status: Outcome }>('POST', `/api/qr/${encodeURIComponent(token)}/register`, {
        silentSession: true,
        body: {
          name: v.name.trim(),
          phone: v.phone.trim(),
          ...(v.idMode === 'idNumber'
            ? { idNumber: v.idNumber?.trim() || null }
            : { birthDate: v.birthDate || null, gender: v.gender ?? null }),
          category: v.category,
          politicalStatus: v.politicalStatus,
          consent: v.consent === true,
          consentVersion: info.consentVersion || CONSENT_VERSION,
          guardianConsent: guardian,
          submissionId,
          ...(chosenGrid ? { gridId: chosenGrid.id } : {}),
          ...(captchaNeeded && v.captcha?.text ? { captcha: { id: v.captcha.id, text: v.captcha.text.trim() } } : {}),
        },
      });
      setOutcome(result.status);
    } catch (error) {
      const problem = error instanceof ApiError ? error.problem : null;
      setFailure(problem ? problem.title : t('error.network'));
      if (isCaptchaProblem(error)) {
        setCaptchaNeeded(true);
        setCaptchaKey((k) => k + 1);
      }
      applyFieldErrors(form, error, { consentVersion: 'consent' });
      // a refused form may be corrected and sent again: that is a new submission
      if (problem && problem.code !== 'RATE_LIMITED' && problem.status !== 0) setSubmissionId(newSubmissionId());
    } finally {
      setSending(false);
    }
  };

  const onCaptchaProblem = () => {
    setCaptchaNeeded(true);
    setCaptchaKey((k) => k + 1);
  };

  if (knownMode) {
    return (
      <>
        {place}
        <KnownPersonConfirm
          token={token}
          info={info}
          gridId={chosenGrid?.id}
          placeName={info.gridName ?? chosenGrid?.name ?? info.orgName}
          captchaNeeded={captchaNeeded}
          captchaKey={captchaKey}
          onCaptchaProblem={onCaptchaProblem}
          onDone={setOutcome}
          onBack={(prefill) => {
            setKnownMode(false);
            if (prefill) {
              setNotFoundHint(true);
              // the form mounts again: hand it what was typed
              setTimeout(() => form.setFieldsValue(prefill), 0);
            }
          }}
        />
      </>
    );
  }

  return (
    <>
      {place}
      {info.kind === 'org' && <GridSuggestion token={token} chosen={chosenGrid} onChoose={setChosenGrid} />}
      <Button
        type="link"
        block
        style={{ marginBottom: 8 }}
        onClick={() => {
          setNotFoundHint(false);
          setKnownMode(true);
        }}
        data-testid="register-known-open"
      >
        {t('registerMore.known.open')}
      </Button>
      {notFoundHint && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message={t('registerMore.known.notFound')}
          data-testid="register-known-not-found"
        />
      )}
      <div style={{ background: '#fff', borderRadius: 8, padding: '16px 14px 4px' }}>
        <Form<Values>
          form={form}
          layout="vertical"
          size="large"
          requiredMark={false}
          initialValues={{ idMode: 'idNumber', category: 'other', politicalStatus: 'masses', consent: false }}
          onFinish={(v) => void submit(v)}
          scrollToFirstError
          data-testid="register-form"
        >
          <Form.Item
            name="name"
            label={t('register.field.name')}
            rules={[{ required: true, whitespace: true, message: t('register.required') }, { max: 50 }]}
          >
            <Input autoComplete="name" data-testid="register-name" />
          </Form.Item>
          <Form.Item
            name="phone"
            label={t('register.field.phone')}
            rules={[{ required: true, whitespace: true, message: t('register.required') }]}
          >
            <Input type="tel" inputMode="tel" autoComplete="tel" maxLength={20} data-testid="register-phone" />
          </Form.Item>
          <Form.Item name="idMode" style={{ marginBottom: 12 }}>
            <Segmented
              block
              options={[
                { value: 'idNumber', label: t('register.field.useIdNumber') },
                { value: 'birthDate', label: t('register.field.useBirthDate') },
              ]}
              data-testid="register-id-mode"
            />
          </Form.Item>
          {idMode === 'idNumber' ? (
            <Form.Item
              name="idNumber"
              label={t('register.field.idNumber')}
              extra={t('register.idNumberHint')}
              rules={[{ required: true, whitespace: true, message: t('register.required') }]}
            >
              <Input autoComplete="off" maxLength={24} data-testid="register-id-number" />
            </Form.Item>
          ) : (
            <>
              <Form.Item
                name="birthDate"
                label={t('register.field.birthDate')}
                rules={[{ required: true, message: t('register.required') }]}
              >
                <Input type="date" max={today()} min="1900-01-01" data-testid="register-birth-date" />
              </Form.Item>
              <Form.Item name="gender" label={t('register.field.gender')}>
                <Segmented
                  block
                  options={GENDERS.map((g) => ({ value: g, label: t(`people.gender.${g}`) }))}
                  data-testid="register-gender"
                />
              </Form.Item>
            </>
          )}
          <Form.Item name="category" label={t('register.field.category')}>
            <Select
              options={PERSON_CATEGORIES.map((c) => ({ value: c, label: t(`people.category.${c}`) }))}
              data-testid="register-category"
            />
          </Form.Item>
          <Form.Item name="politicalStatus" label={t('register.field.politicalStatus')}>
            <Select
              options={POLITICAL_STATUSES.map((s) => ({ value: s, label: t(`people.political.${s}`) }))}
              data-testid="register-political-status"
            />
          </Form.Item>
          {needsGuardian && (
            <>
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 12 }}
                message={t('register.guardianHint', { age: YOUTH_MIN_AGE })}
              />
              <Form.Item
                name={['guardianConsent', 'guardianName']}
                label={t('people.field.guardianName')}
                rules={[{ required: true, whitespace: true, message: t('register.required') }]}
              >
                <Input data-testid="register-guardian-name" />
              </Form.Item>
              <Form.Item
                name={['guardianConsent', 'relation']}
                label={t('people.field.guardianRelation')}
                rules={[{ required: true, whitespace: true, message: t('register.required') }]}
              >
                <Input placeholder={t('people.form.relationPlaceholder')} data-testid="register-guardian-relation" />
              </Form.Item>
            </>
          )}
          <PrivacyNotice lang={lang} />
          <Form.Item
            name="consent"
            valuePropName="checked"
            rules={[
              {
                validator: (_, value) =>
                  value ? Promise.resolve() : Promise.reject(new Error(t('register.consentRequired'))),
              },
            ]}
          >
            <Checkbox data-testid="register-consent">{t('register.consent')}</Checkbox>
          </Form.Item>
          {captchaNeeded && (
            <Form.Item name="captcha" label={t('captcha.label')} extra={t('captcha.hint')}>
              <CaptchaField refreshKey={captchaKey} testId="register-captcha" />
            </Form.Item>
          )}
          {failure && (
            <Alert type="error" showIcon message={failure} style={{ marginBottom: 12 }} data-testid="register-error" />
          )}
          <Form.Item>
            <Button type="primary" htmlType="submit" block loading={sending} data-testid="register-submit">
              {t('register.submit')}
            </Button>
          </Form.Item>
        </Form>
      </div>
      <Typography.Paragraph type="secondary" style={{ textAlign: 'center', fontSize: 12, marginTop: 12 }}>
        {t('register.footer')}
      </Typography.Paragraph>
    </>
  );
}

/** 隐私告知 the notice the consent refers to, in a scrolling box. */
function PrivacyNotice({ lang }: { lang: 'zh-CN' | 'en' }) {
  const { t } = useTranslation();
  return (
    <div
      style={{
        background: '#fafafa',
        border: '1px solid #f0f0f0',
        borderRadius: 6,
        padding: '8px 10px',
        marginBottom: 8,
        maxHeight: 160,
        overflowY: 'auto',
        fontSize: 13,
        lineHeight: 1.6,
        color: 'rgba(0,0,0,0.65)',
      }}
      data-testid="register-privacy-notice"
    >
      <Typography.Text strong style={{ fontSize: 13 }}>
        {t('register.privacyTitle')}
      </Typography.Text>
      <div>{PRIVACY_NOTICE[lang]}</div>
    </div>
  );
}

/**
 * 定位推荐网格 (org codes only: a grid code already fixes the grid). Asks for the position only when
 * tapped; the browser reports WGS-84 (navigator.geolocation), the server converts GCJ-02 when a
 * WeChat/AMap position is sent, and answers only grids of the code's org subtree.
 */
function GridSuggestion({
  token,
  chosen,
  onChoose,
}: {
  token: string;
  chosen: Suggested | null;
  onChoose: (grid: Suggested | null) => void;
}) {
  const { t } = useTranslation();
  const [state, setState] = useState<'idle' | 'locating' | 'denied' | 'none' | 'dismissed'>('idle');
  const [suggested, setSuggested] = useState<Suggested | null>(null);

  if (chosen) {
    return (
      <Alert
        type="success"
        showIcon
        style={{ marginBottom: 12 }}
        data-testid="register-chosen-grid"
        message={t('registerMore.chosenGrid', { grid: chosen.name })}
        action={
          <Button size="small" type="link" onClick={() => onChoose(null)}>
            {t('registerMore.clearGrid')}
          </Button>
        }
      />
    );
  }
  if (suggested && state === 'idle') {
    return (
      <Alert
        type="info"
        showIcon
        icon={<EnvironmentOutlined />}
        style={{ marginBottom: 12 }}
        data-testid="register-suggestion"
        message={
          suggested.inside
            ? t('registerMore.suggestion', { grid: suggested.name, org: suggested.orgName })
            : t('registerMore.suggestionNear', {
                grid: suggested.name,
                org: suggested.orgName,
                meters: suggested.distanceMeters,
              })
        }
        description={
          <Space style={{ marginTop: 6 }}>
            <Button
              size="small"
              type="primary"
              onClick={() => onChoose(suggested)}
              data-testid="register-suggestion-use"
            >
              {t('registerMore.useSuggestion')}
            </Button>
            <Button size="small" onClick={() => setState('dismissed')}>
              {t('registerMore.dismiss')}
            </Button>
          </Space>
        }
      />
    );
  }
  if (state === 'dismissed') return null;

  const locate = () => {
    if (typeof navigator === 'undefined' || !navigator.geolocation) {
      setState('denied');
      return;
    }
    setState('locating');
    navigator.geolocation.getCurrentPosition(
      async (pos) => {
        try {
          const r = await api<z.infer<typeof QrLocateResultSchema>>(
            'POST',
            `/api/qr/${encodeURIComponent(token)}/locate`,
            {
              silentSession: true,
              body: { lng: pos.coords.longitude, lat: pos.coords.latitude, coordSystem: 'wgs84' },
            },
          );
          setSuggested(r.grid);
          setState(r.grid ? 'idle' : 'none');
        } catch {
          setState('denied');
        }
      },
      () => setState('denied'),
      { enableHighAccuracy: true, timeout: 10_000, maximumAge: 60_000 },
    );
  };

  return (
    <div style={{ marginBottom: 8 }}>
      <Button
        block
        icon={<EnvironmentOutlined />}
        loading={state === 'locating'}
        onClick={locate}
        data-testid="register-locate"
      >
        {state === 'locating' ? t('registerMore.locating') : t('registerMore.locate')}
      </Button>
      {(state === 'denied' || state === 'none') && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '6px 2px 0' }}>
          {state === 'denied' ? t('registerMore.locateDenied') : t('registerMore.locateNone')}
        </Typography.Paragraph>
      )}
    </div>
  );
}

type KnownValues = {
  phone: string;
  idMode: 'idNumber' | 'birthDate';
  idNumber?: string;
  birthDate?: string;
  captcha?: CaptchaAnswer;
};

/**
 * 老用户一键确认: phone + ID number (or birth date) find a known person; then one tap joins this grid.
 * The server never says "known" for a phone alone, counts every try with the form (captcha after a few),
 * and routes a move to another grid through the review list (registrations.service.ts).
 */
function KnownPersonConfirm({
  token,
  info,
  gridId,
  placeName,
  captchaNeeded,
  captchaKey,
  onCaptchaProblem,
  onDone,
  onBack,
}: {
  token: string;
  info: QrInfo;
  gridId: number | undefined;
  placeName: string;
  captchaNeeded: boolean;
  captchaKey: number;
  onCaptchaProblem: () => void;
  onDone: (outcome: Outcome) => void;
  onBack: (prefill?: Partial<Values>) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<KnownValues>();
  const [found, setFound] = useState<Identified | null>(null);
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [submissionId, setSubmissionId] = useState(newSubmissionId);
  const idMode = Form.useWatch('idMode', form) ?? 'idNumber';
  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';

  const identity = (v: KnownValues) => ({
    phone: v.phone.trim(),
    ...(v.idMode === 'idNumber' ? { idNumber: v.idNumber?.trim() || null } : { birthDate: v.birthDate || null }),
    ...(captchaNeeded && v.captcha?.text ? { captcha: { id: v.captcha.id, text: v.captcha.text.trim() } } : {}),
  });

  const call = async (run: () => Promise<void>) => {
    setSending(true);
    setFailure(null);
    try {
      await run();
    } catch (error) {
      setFailure(error instanceof ApiError ? error.problem.title : t('error.network'));
      if (isCaptchaProblem(error)) onCaptchaProblem();
      applyFieldErrors(form, error);
      if (error instanceof ApiError && error.code === 'QR_PERSON_NOT_FOUND') setFound(null);
    } finally {
      setSending(false);
    }
  };

  const find = (v: KnownValues) =>
    call(async () => {
      const r = await api<Identified>('POST', `/api/qr/${encodeURIComponent(token)}/identify`, {
        silentSession: true,
        body: identity(v),
      });
      if (!r.known) {
        onBack({
          phone: v.phone,
          idMode: v.idMode,
          ...(v.idMode === 'idNumber' ? { idNumber: v.idNumber } : { birthDate: v.birthDate }),
        });
        return;
      }
      if (r.alreadyHere) {
        onDone('registered');
        return;
      }
      setFound(r);
    });

  const confirm = () =>
    call(async () => {
      const v = form.getFieldsValue(true) as KnownValues;
      const r = await api<{ status: Outcome }>('POST', `/api/qr/${encodeURIComponent(token)}/confirm`, {
        silentSession: true,
        body: {
          ...identity(v),
          ...(gridId ? { gridId } : {}),
          consent: true,
          consentVersion: info.consentVersion || CONSENT_VERSION,
          submissionId,
        },
      });
      setSubmissionId(newSubmissionId());
      onDone(r.status);
    });

  return (
    <div style={{ background: '#fff', borderRadius: 8, padding: '16px 14px 4px' }} data-testid="register-known">
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {t('registerMore.known.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {t('registerMore.known.intro')}
      </Typography.Paragraph>
      <Form<KnownValues>
        form={form}
        layout="vertical"
        size="large"
        requiredMark={false}
        initialValues={{ idMode: 'idNumber' }}
        onFinish={(v) => void find(v)}
        onValuesChange={(changed) => {
          if (!('captcha' in changed)) setFound(null);
        }}
      >
        <Form.Item
          name="phone"
          label={t('register.field.phone')}
          rules={[{ required: true, whitespace: true, message: t('register.required') }]}
        >
          <Input type="tel" inputMode="tel" autoComplete="tel" maxLength={20} data-testid="register-known-phone" />
        </Form.Item>
        <Form.Item name="idMode" style={{ marginBottom: 12 }}>
          <Segmented
            block
            options={[
              { value: 'idNumber', label: t('register.field.useIdNumber') },
              { value: 'birthDate', label: t('register.field.useBirthDate') },
            ]}
          />
        </Form.Item>
        {idMode === 'idNumber' ? (
          <Form.Item
            name="idNumber"
            label={t('register.field.idNumber')}
            rules={[{ required: true, whitespace: true, message: t('register.required') }]}
          >
            <Input autoComplete="off" maxLength={24} data-testid="register-known-id-number" />
          </Form.Item>
        ) : (
          <Form.Item
            name="birthDate"
            label={t('register.field.birthDate')}
            rules={[{ required: true, message: t('register.required') }]}
          >
            <Input type="date" max={today()} min="1900-01-01" data-testid="register-known-birth-date" />
          </Form.Item>
        )}
        {captchaNeeded && (
          <Form.Item name="captcha" label={t('captcha.label')} extra={t('captcha.hint')}>
            <CaptchaField refreshKey={captchaKey} testId="register-known-captcha" />
          </Form.Item>
        )}
        {failure && (
          <Alert
            type="error"
            showIcon
            message={failure}
            style={{ marginBottom: 12 }}
            data-testid="register-known-error"
          />
        )}
        {found ? (
          <>
            <Alert
              type="success"
              showIcon
              style={{ marginBottom: 12 }}
              message={t('registerMore.known.found', { name: found.maskedName })}
              data-testid="register-known-found"
            />
            <PrivacyNotice lang={lang} />
            <Form.Item>
              <Button
                type="primary"
                block
                loading={sending}
                onClick={() => void confirm()}
                style={{ whiteSpace: 'normal', height: 'auto', minHeight: 40 }}
                data-testid="register-known-confirm"
              >
                {t('registerMore.known.confirm', { place: placeName })}
              </Button>
            </Form.Item>
          </>
        ) : (
          <Form.Item>
            <Button type="primary" htmlType="submit" block loading={sending} data-testid="register-known-find">
              {t('registerMore.known.find')}
            </Button>
          </Form.Item>
        )}
        <Form.Item>
          <Button type="link" block onClick={() => onBack()}>
            {t('registerMore.known.cancel')}
          </Button>
        </Form.Item>
      </Form>
    </div>
  );
}
