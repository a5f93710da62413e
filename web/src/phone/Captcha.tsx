import { useCallback, useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import type { CaptchaAnswer, CaptchaSchema } from '../../../domain/captcha.ts';
import { api } from './api.ts';
import { t } from './i18n.ts';
import { ReloadIcon, Spinner } from './ui.tsx';

type Challenge = z.infer<typeof CaptchaSchema>;

/**
 * 图形验证码 of the phone pages (the console's features/captcha/CaptchaField.tsx without antd): the image of
 * GET /api/public/captcha, an input and a refresh button; its value is `{ id, text }`. Change `refreshKey`
 * to draw a new image (after CAPTCHA_INVALID: every image answers once). Same test ids.
 */
export function Captcha({
  id,
  value,
  onChange,
  refreshKey,
  invalid,
  testId,
}: {
  id: string;
  value: CaptchaAnswer | undefined;
  onChange: (value: CaptchaAnswer) => void;
  refreshKey: number;
  invalid?: boolean;
  testId: string;
}) {
  const [challenge, setChallenge] = useState<Challenge | null>(null);
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState(false);
  // the parent hands a new onChange on every render; a new image is drawn only on demand
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  const load = useCallback(async () => {
    setLoading(true);
    setFailed(false);
    try {
      const c = await api<Challenge>('GET', '/api/public/captcha');
      setChallenge(c);
      onChangeRef.current({ id: c.id, text: '' });
    } catch {
      setFailed(true);
    } finally {
      setLoading(false);
    }
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey is the trigger of a new image
  useEffect(() => {
    void load();
  }, [load, refreshKey]);

  return (
    <div className="jw-captcha" data-testid={testId}>
      <input
        id={id}
        className="jw-input jw-captcha-input"
        value={value?.text ?? ''}
        onChange={(e) => challenge && onChange({ id: challenge.id, text: e.target.value })}
        placeholder={t('captcha.placeholder')}
        maxLength={8}
        autoComplete="off"
        autoCapitalize="characters"
        aria-invalid={invalid || undefined}
        data-testid={`${testId}-input`}
      />
      <div className="jw-captcha-image">
        {loading ? (
          <Spinner small />
        ) : challenge && !failed ? (
          <button type="button" className="jw-captcha-img-btn" onClick={() => void load()}>
            <img src={challenge.image} alt={t('captcha.alt')} width={114} height={40} data-testid={`${testId}-image`} />
          </button>
        ) : (
          <span className="jw-captcha-failed">{t('captcha.loadFailed')}</span>
        )}
      </div>
      <button
        type="button"
        className="jw-btn jw-btn-default jw-captcha-refresh"
        onClick={() => void load()}
        aria-label={t('captcha.refresh')}
        title={t('captcha.refresh')}
        data-testid={`${testId}-refresh`}
      >
        <ReloadIcon />
      </button>
    </div>
  );
}
