import { type ReactNode, useCallback, useEffect, useState } from 'react';
import type { z } from 'zod';
import type { CaptchaAnswer } from '../../../domain/captcha.ts';
import type { QrInfoSchema } from '../../../domain/person.ts';
import type { QrIdentifyResultSchema, QrLocateResultSchema } from '../../../domain/registration.ts';
import { ApiError, api, fieldErrorsOf, isCaptchaProblem } from './api.ts';
import { Captcha } from './Captcha.tsx';
import { CONSENT_VERSION, GENDERS, PERSON_CATEGORIES, POLITICAL_STATUSES, YOUTH_MIN_AGE } from './contract.ts';
import { t } from './i18n.ts';
import { Button, Field, Note, PageSpinner, PinIcon, ResultView, Segmented } from './ui.tsx';

// types only (erased at build): the shapes the server answers, from the shared contract
type QrInfo = z.infer<typeof QrInfoSchema>;
type Outcome = 'registered' | 'pending' | 'review';
type Suggested = NonNullable<z.infer<typeof QrLocateResultSchema>['grid']>;
type Identified = z.infer<typeof QrIdentifyResultSchema>;
type IdMode = 'idNumber' | 'birthDate';
type Errors = Record<string, string>;

type Values = {
  name: string;
  phone: string;
  idMode: IdMode;
  idNumber: string;
  birthDate: string;
  gender: 'male' | 'female' | undefined;
  category: string;
  politicalStatus: string;
  guardianName: string;
  guardianRelation: string;
  consent: boolean;
  captcha: CaptchaAnswer | undefined;
};

const EMPTY: Values = {
  name: '',
  phone: '',
  idMode: 'idNumber',
  idNumber: '',
  birthDate: '',
  gender: undefined,
  category: 'other',
  politicalStatus: 'masses',
  guardianName: '',
  guardianRelation: '',
  consent: false,
  captcha: undefined,
};

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

const qrPath = (token: string, action = '') => `/api/qr/${encodeURIComponent(token)}${action ? `/${action}` : ''}`;

/** Brings the first field with an error into view and focuses its control (antd's scrollToFirstError). */
function showFirstError() {
  requestAnimationFrame(() => {
    const field = document.querySelector('.jw-field-invalid');
    if (!field) return;
    field.scrollIntoView({ block: 'center' });
    field.querySelector<HTMLElement>('input, select, button')?.focus({ preventScroll: true });
  });
}

/** Form values with their errors; changing a value clears its error (a server error is about the old value). */
function useFormState<V extends object>(initial: V) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<Errors>({});
  const set = useCallback(<K extends keyof V & string>(key: K, value: V[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors((e) => {
      if (!e[key]) return e;
      const { [key]: _, ...rest } = e;
      return rest;
    });
  }, []);
  return { values, setValues, errors, setErrors, set };
}

const required = (errors: Errors, key: string, value: string | undefined) => {
  if (!value?.trim()) errors[key] = t('register.required');
};

/**
 * 二维报到 the public phone page a registration QR code opens (375 px, WeChat's browser): what the code
 * is for, a short form with the privacy notice, and the outcome. No login; the light phone entry (phone.html).
 */
export function RegisterPage({ token }: { token: string }) {
  const [state, setState] = useState<
    { status: 'loading' } | { status: 'ready'; info: QrInfo } | { status: 'error'; error: unknown }
  >({ status: 'loading' });

  const load = useCallback(() => {
    setState({ status: 'loading' });
    api<QrInfo>('GET', qrPath(token)).then(
      (info) => setState({ status: 'ready', info }),
      (error: unknown) => setState({ status: 'error', error }),
    );
  }, [token]);
  useEffect(load, [load]);

  let body: ReactNode;
  if (state.status === 'loading') body = <PageSpinner />;
  else if (state.status === 'ready') body = <RegisterForm token={token} info={state.info} />;
  else {
    const error = state.error;
    // a revoked, expired or forged code: the server's message already says to ask for a new one
    const tokenProblem = error instanceof ApiError && /^QR_TOKEN_/.test(error.code);
    body = (
      <div data-testid="register-unavailable">
        <ResultView
          status="warning"
          title={tokenProblem ? error.problem.title : t('register.loadFailed')}
          subTitle={tokenProblem ? undefined : error instanceof Error ? error.message : undefined}
          extra={
            error instanceof ApiError && error.status === 0 ? (
              <Button onClick={load}>{t('common.refresh')}</Button>
            ) : undefined
          }
        />
      </div>
    );
  }

  return (
    <main className="jw-page" data-testid="register-page">
      <header className="jw-head">
        <h1>{t('register.heading')}</h1>
        <div className="jw-muted">{t('app.fullName')}</div>
      </header>
      {body}
    </main>
  );
}

function RegisterForm({ token, info }: { token: string; info: QrInfo }) {
  const { values: v, setValues, errors, setErrors, set } = useFormState<Values>(EMPTY);
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
  const age = v.idMode === 'birthDate' ? ageFrom(v.birthDate) : null;
  const needsGuardian = age !== null && age >= 0 && age < YOUTH_MIN_AGE;

  const place = (
    <div className="jw-note jw-note-info jw-place" data-testid="register-place">
      <strong>{info.gridName ?? chosenGrid?.name ?? info.orgName}</strong>
      <div className="jw-muted jw-small">
        {info.gridName
          ? `${info.orgName} · ${info.districtName}`
          : chosenGrid
            ? `${chosenGrid.orgName} · ${info.districtName}`
            : info.districtName}
      </div>
    </div>
  );

  if (outcome) {
    const key = outcome === 'pending' && info.kind === 'org' && !chosenGrid ? 'pendingOrg' : outcome;
    return (
      <>
        {place}
        <div data-testid="register-result" data-status={outcome}>
          <ResultView
            status={outcome === 'registered' ? 'success' : 'info'}
            title={t(`register.result.${key}`)}
            subTitle={t(`register.result.${key}Hint`)}
          />
        </div>
      </>
    );
  }

  const onCaptchaProblem = () => {
    setCaptchaNeeded(true);
    setCaptchaKey((k) => k + 1);
  };

  const submit = async () => {
    const missing: Errors = {};
    required(missing, 'name', v.name);
    required(missing, 'phone', v.phone);
    if (v.idMode === 'idNumber') required(missing, 'idNumber', v.idNumber);
    else required(missing, 'birthDate', v.birthDate);
    if (needsGuardian) {
      required(missing, 'guardianName', v.guardianName);
      required(missing, 'guardianRelation', v.guardianRelation);
    }
    if (!v.consent) missing.consent = t('register.consentRequired');
    if (Object.keys(missing).length > 0) {
      setErrors(missing);
      showFirstError();
      return;
    }
    setSending(true);
    setFailure(null);
    try {
      const result = await api<{ status: Outcome }>('POST', qrPath(token, 'register'), {
        name: v.name.trim(),
        phone: v.phone.trim(),
        ...(v.idMode === 'idNumber'
          ? { idNumber: v.idNumber.trim() || null }
          : { birthDate: v.birthDate || null, gender: v.gender ?? null }),
        category: v.category,
        politicalStatus: v.politicalStatus,
        consent: v.consent,
        consentVersion: info.consentVersion || CONSENT_VERSION,
        guardianConsent: needsGuardian
          ? { guardianName: v.guardianName.trim(), relation: v.guardianRelation.trim() }
          : null,
        submissionId,
        ...(chosenGrid ? { gridId: chosenGrid.id } : {}),
        ...(captchaNeeded && v.captcha?.text ? { captcha: { id: v.captcha.id, text: v.captcha.text.trim() } } : {}),
      });
      setOutcome(result.status);
    } catch (error) {
      const problem = error instanceof ApiError ? error.problem : null;
      setFailure(problem ? problem.title : t('error.network'));
      if (isCaptchaProblem(error)) onCaptchaProblem();
      const fields = fieldErrorsOf(error, { consentVersion: 'consent' });
      setErrors(fields);
      if (Object.keys(fields).length > 0) showFirstError();
      // a refused form may be corrected and sent again: that is a new submission
      if (problem && problem.code !== 'RATE_LIMITED' && problem.status !== 0) setSubmissionId(newSubmissionId());
    } finally {
      setSending(false);
    }
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
              // the form shows again with what was typed
              setValues((old) => ({ ...old, ...prefill }));
            }
          }}
        />
      </>
    );
  }

  const idModes = [
    { value: 'idNumber' as const, label: t('register.field.useIdNumber') },
    { value: 'birthDate' as const, label: t('register.field.useBirthDate') },
  ];
  const invalid = (key: string) => (errors[key] ? { 'aria-invalid': true, 'aria-describedby': `r-${key}-error` } : {});

  return (
    <>
      {place}
      {info.kind === 'org' && <GridSuggestion token={token} chosen={chosenGrid} onChoose={setChosenGrid} />}
      <Button
        kind="link"
        block
        className="jw-mb8"
        onClick={() => {
          setNotFoundHint(false);
          setKnownMode(true);
        }}
        testId="register-known-open"
      >
        {t('registerMore.known.open')}
      </Button>
      {notFoundHint && (
        <Note kind="info" testId="register-known-not-found">
          {t('registerMore.known.notFound')}
        </Note>
      )}
      <form
        className="jw-card"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
        data-testid="register-form"
      >
        <Field id="r-name" label={t('register.field.name')} error={errors.name}>
          <input
            id="r-name"
            className="jw-input"
            autoComplete="name"
            maxLength={50}
            value={v.name}
            onChange={(e) => set('name', e.target.value)}
            {...invalid('name')}
            data-testid="register-name"
          />
        </Field>
        <Field id="r-phone" label={t('register.field.phone')} error={errors.phone}>
          <input
            id="r-phone"
            className="jw-input"
            type="tel"
            inputMode="tel"
            autoComplete="tel"
            maxLength={20}
            value={v.phone}
            onChange={(e) => set('phone', e.target.value)}
            {...invalid('phone')}
            data-testid="register-phone"
          />
        </Field>
        <div className="jw-field">
          <Segmented
            value={v.idMode}
            options={idModes}
            onChange={(mode) => set('idMode', mode)}
            testId="register-id-mode"
          />
        </div>
        {v.idMode === 'idNumber' ? (
          <Field
            id="r-idNumber"
            label={t('register.field.idNumber')}
            hint={t('register.idNumberHint')}
            error={errors.idNumber}
          >
            <input
              id="r-idNumber"
              className="jw-input"
              autoComplete="off"
              maxLength={24}
              value={v.idNumber}
              onChange={(e) => set('idNumber', e.target.value)}
              {...invalid('idNumber')}
              data-testid="register-id-number"
            />
          </Field>
        ) : (
          <>
            <Field id="r-birthDate" label={t('register.field.birthDate')} error={errors.birthDate}>
              <input
                id="r-birthDate"
                className="jw-input"
                type="date"
                max={today()}
                min="1900-01-01"
                value={v.birthDate}
                onChange={(e) => set('birthDate', e.target.value)}
                {...invalid('birthDate')}
                data-testid="register-birth-date"
              />
            </Field>
            <Field id="r-gender" label={t('register.field.gender')} error={errors.gender}>
              <Segmented
                value={v.gender}
                label={t('register.field.gender')}
                options={GENDERS.map((g) => ({ value: g, label: t(`people.gender.${g}`) }))}
                onChange={(g) => set('gender', g)}
                testId="register-gender"
              />
            </Field>
          </>
        )}
        <Field id="r-category" label={t('register.field.category')} error={errors.category}>
          <select
            id="r-category"
            className="jw-input jw-select"
            value={v.category}
            onChange={(e) => set('category', e.target.value)}
            data-testid="register-category"
          >
            {PERSON_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`people.category.${c}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="r-political" label={t('register.field.politicalStatus')} error={errors.politicalStatus}>
          <select
            id="r-political"
            className="jw-input jw-select"
            value={v.politicalStatus}
            onChange={(e) => set('politicalStatus', e.target.value)}
            data-testid="register-political-status"
          >
            {POLITICAL_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`people.political.${s}`)}
              </option>
            ))}
          </select>
        </Field>
        {needsGuardian && (
          <>
            <Note kind="warning">{t('register.guardianHint', { age: YOUTH_MIN_AGE })}</Note>
            <Field id="r-guardianName" label={t('people.field.guardianName')} error={errors.guardianName}>
              <input
                id="r-guardianName"
                className="jw-input"
                value={v.guardianName}
                onChange={(e) => set('guardianName', e.target.value)}
                {...invalid('guardianName')}
                data-testid="register-guardian-name"
              />
            </Field>
            <Field id="r-guardianRelation" label={t('people.field.guardianRelation')} error={errors.guardianRelation}>
              <input
                id="r-guardianRelation"
                className="jw-input"
                placeholder={t('people.form.relationPlaceholder')}
                value={v.guardianRelation}
                onChange={(e) => set('guardianRelation', e.target.value)}
                {...invalid('guardianRelation')}
                data-testid="register-guardian-relation"
              />
            </Field>
          </>
        )}
        <PrivacyNotice text={info.privacyNotice} />
        <Field id="r-consent" error={errors.consent}>
          <label className="jw-check">
            <input
              id="r-consent"
              type="checkbox"
              checked={v.consent}
              onChange={(e) => set('consent', e.target.checked)}
              {...invalid('consent')}
              data-testid="register-consent"
            />
            <span>{t('register.consent')}</span>
          </label>
        </Field>
        {captchaNeeded && (
          <Field id="r-captcha" label={t('captcha.label')} hint={t('captcha.hint')} error={errors.captcha}>
            <Captcha
              id="r-captcha"
              value={v.captcha}
              onChange={(c) => set('captcha', c)}
              refreshKey={captchaKey}
              invalid={!!errors.captcha}
              testId="register-captcha"
            />
          </Field>
        )}
        {failure && (
          <Note kind="error" testId="register-error">
            {failure}
          </Note>
        )}
        <div className="jw-field">
          <Button kind="primary" type="submit" block loading={sending} testId="register-submit">
            {t('register.submit')}
          </Button>
        </div>
      </form>
      <p className="jw-foot">{t('register.footer')}</p>
    </>
  );
}

/** 隐私告知 the notice the consent refers to (the server's, in the page's language), in a scrolling box. */
function PrivacyNotice({ text }: { text: string }) {
  return (
    <div className="jw-privacy" data-testid="register-privacy-notice">
      <strong>{t('register.privacyTitle')}</strong>
      <div>{text}</div>
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
  const [state, setState] = useState<'idle' | 'locating' | 'denied' | 'none' | 'dismissed'>('idle');
  const [suggested, setSuggested] = useState<Suggested | null>(null);

  if (chosen) {
    return (
      <Note
        kind="success"
        testId="register-chosen-grid"
        action={
          <Button small kind="link" onClick={() => onChoose(null)}>
            {t('registerMore.clearGrid')}
          </Button>
        }
      >
        {t('registerMore.chosenGrid', { grid: chosen.name })}
      </Note>
    );
  }
  if (suggested && state === 'idle') {
    return (
      <Note
        kind="info"
        icon={<PinIcon />}
        testId="register-suggestion"
        description={
          <div className="jw-row">
            <Button small kind="primary" onClick={() => onChoose(suggested)} testId="register-suggestion-use">
              {t('registerMore.useSuggestion')}
            </Button>
            <Button small onClick={() => setState('dismissed')}>
              {t('registerMore.dismiss')}
            </Button>
          </div>
        }
      >
        {suggested.inside
          ? t('registerMore.suggestion', { grid: suggested.name, org: suggested.orgName })
          : t('registerMore.suggestionNear', {
              grid: suggested.name,
              org: suggested.orgName,
              meters: suggested.distanceMeters,
            })}
      </Note>
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
          const r = await api<z.infer<typeof QrLocateResultSchema>>('POST', qrPath(token, 'locate'), {
            lng: pos.coords.longitude,
            lat: pos.coords.latitude,
            coordSystem: 'wgs84',
          });
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
    <div className="jw-mb8">
      <Button block icon={<PinIcon />} loading={state === 'locating'} onClick={locate} testId="register-locate">
        {state === 'locating' ? t('registerMore.locating') : t('registerMore.locate')}
      </Button>
      {(state === 'denied' || state === 'none') && (
        <p className="jw-muted jw-small jw-locate-note">
          {state === 'denied' ? t('registerMore.locateDenied') : t('registerMore.locateNone')}
        </p>
      )}
    </div>
  );
}

type KnownValues = {
  phone: string;
  idMode: IdMode;
  idNumber: string;
  birthDate: string;
  captcha: CaptchaAnswer | undefined;
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
  const {
    values: v,
    errors,
    setErrors,
    set,
  } = useFormState<KnownValues>({
    phone: '',
    idMode: 'idNumber',
    idNumber: '',
    birthDate: '',
    captcha: undefined,
  });
  const [found, setFound] = useState<Identified | null>(null);
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [submissionId, setSubmissionId] = useState(newSubmissionId);

  // any change of the identity asks again who this is (a new captcha answer does not)
  const change = <K extends keyof KnownValues & string>(key: K, value: KnownValues[K]) => {
    set(key, value);
    if (key !== 'captcha') setFound(null);
  };

  const identity = () => ({
    phone: v.phone.trim(),
    ...(v.idMode === 'idNumber' ? { idNumber: v.idNumber.trim() || null } : { birthDate: v.birthDate || null }),
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
      setErrors(fieldErrorsOf(error));
      if (error instanceof ApiError && error.code === 'QR_PERSON_NOT_FOUND') setFound(null);
    } finally {
      setSending(false);
    }
  };

  const find = () => {
    const missing: Errors = {};
    required(missing, 'phone', v.phone);
    if (v.idMode === 'idNumber') required(missing, 'idNumber', v.idNumber);
    else required(missing, 'birthDate', v.birthDate);
    if (Object.keys(missing).length > 0) {
      setErrors(missing);
      showFirstError();
      return;
    }
    void call(async () => {
      const r = await api<Identified>('POST', qrPath(token, 'identify'), identity());
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
  };

  const confirm = () =>
    call(async () => {
      const r = await api<{ status: Outcome }>('POST', qrPath(token, 'confirm'), {
        ...identity(),
        ...(gridId ? { gridId } : {}),
        consent: true,
        consentVersion: info.consentVersion || CONSENT_VERSION,
        submissionId,
      });
      setSubmissionId(newSubmissionId());
      onDone(r.status);
    });

  return (
    <form
      className="jw-card"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        find();
      }}
      data-testid="register-known"
    >
      <h2 className="jw-h2">{t('registerMore.known.title')}</h2>
      <p className="jw-muted jw-small">{t('registerMore.known.intro')}</p>
      <Field id="k-phone" label={t('register.field.phone')} error={errors.phone}>
        <input
          id="k-phone"
          className="jw-input"
          type="tel"
          inputMode="tel"
          autoComplete="tel"
          maxLength={20}
          value={v.phone}
          onChange={(e) => change('phone', e.target.value)}
          aria-invalid={!!errors.phone || undefined}
          data-testid="register-known-phone"
        />
      </Field>
      <div className="jw-field">
        <Segmented
          value={v.idMode}
          options={[
            { value: 'idNumber', label: t('register.field.useIdNumber') },
            { value: 'birthDate', label: t('register.field.useBirthDate') },
          ]}
          onChange={(mode) => change('idMode', mode)}
        />
      </div>
      {v.idMode === 'idNumber' ? (
        <Field id="k-idNumber" label={t('register.field.idNumber')} error={errors.idNumber}>
          <input
            id="k-idNumber"
            className="jw-input"
            autoComplete="off"
            maxLength={24}
            value={v.idNumber}
            onChange={(e) => change('idNumber', e.target.value)}
            aria-invalid={!!errors.idNumber || undefined}
            data-testid="register-known-id-number"
          />
        </Field>
      ) : (
        <Field id="k-birthDate" label={t('register.field.birthDate')} error={errors.birthDate}>
          <input
            id="k-birthDate"
            className="jw-input"
            type="date"
            max={today()}
            min="1900-01-01"
            value={v.birthDate}
            onChange={(e) => change('birthDate', e.target.value)}
            aria-invalid={!!errors.birthDate || undefined}
            data-testid="register-known-birth-date"
          />
        </Field>
      )}
      {captchaNeeded && (
        <Field id="k-captcha" label={t('captcha.label')} hint={t('captcha.hint')} error={errors.captcha}>
          <Captcha
            id="k-captcha"
            value={v.captcha}
            onChange={(c) => change('captcha', c)}
            refreshKey={captchaKey}
            invalid={!!errors.captcha}
            testId="register-known-captcha"
          />
        </Field>
      )}
      {failure && (
        <Note kind="error" testId="register-known-error">
          {failure}
        </Note>
      )}
      {found ? (
        <>
          <Note kind="success" testId="register-known-found">
            {t('registerMore.known.found', { name: found.maskedName ?? '' })}
          </Note>
          <PrivacyNotice text={info.privacyNotice} />
          <div className="jw-field">
            <Button
              kind="primary"
              block
              className="jw-btn-wrap"
              loading={sending}
              onClick={() => void confirm()}
              testId="register-known-confirm"
            >
              {t('registerMore.known.confirm', { place: placeName })}
            </Button>
          </div>
        </>
      ) : (
        <div className="jw-field">
          <Button kind="primary" type="submit" block loading={sending} testId="register-known-find">
            {t('registerMore.known.find')}
          </Button>
        </div>
      )}
      <Button kind="link" block onClick={() => onBack()}>
        {t('registerMore.known.cancel')}
      </Button>
    </form>
  );
}
