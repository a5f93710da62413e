import { ReloadOutlined } from '@ant-design/icons';
import { Button, Input, Space, Spin } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { CaptchaAnswer, CaptchaSchema } from '../../../../domain/captcha.ts';
import { CAPTCHA_CODES } from '../../../../domain/captcha.ts';
import { ApiError, api } from '../../lib/api.ts';

type Challenge = z.infer<typeof CaptchaSchema>;

/** Whether an API error asks the page to show (a new) captcha. */
export function isCaptchaProblem(error: unknown): boolean {
  return error instanceof ApiError && (CAPTCHA_CODES as readonly string[]).includes(error.code);
}

/**
 * 图形验证码 for public phone pages, as an antd form control: shows the image of GET /api/public/captcha
 * with an input and a refresh button; its value is `{ id, text }` (the field `captcha` of the form).
 * Change `refreshKey` to draw a new image (after CAPTCHA_INVALID: every image answers once).
 */
export function CaptchaField({
  value,
  onChange,
  refreshKey = 0,
  testId = 'captcha',
}: {
  value?: CaptchaAnswer;
  onChange?: (value: CaptchaAnswer) => void;
  refreshKey?: number;
  testId?: string;
}) {
  const { t } = useTranslation();
  const [challenge, setChallenge] = useState<Challenge | null>(null);
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState(false);

  // the form hands a new onChange on every render; a new image is drawn only on demand
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  const load = useCallback(async () => {
    setLoading(true);
    setFailed(false);
    try {
      const c = await api<Challenge>('GET', '/api/public/captcha', { silentSession: true });
      setChallenge(c);
      onChangeRef.current?.({ id: c.id, text: '' });
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
    <Space.Compact style={{ width: '100%' }} data-testid={testId}>
      <Input
        value={value?.text ?? ''}
        onChange={(e) => challenge && onChange?.({ id: challenge.id, text: e.target.value })}
        placeholder={t('captcha.placeholder')}
        maxLength={8}
        autoComplete="off"
        autoCapitalize="characters"
        style={{ textTransform: 'uppercase' }}
        data-testid={`${testId}-input`}
      />
      <div
        style={{
          width: 116,
          height: 40,
          flex: 'none',
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'center',
          border: '1px solid #d9d9d9',
          borderLeft: 'none',
          background: '#fff',
          overflow: 'hidden',
        }}
      >
        {loading ? (
          <Spin size="small" />
        ) : challenge && !failed ? (
          <img
            src={challenge.image}
            alt={t('captcha.alt')}
            style={{ width: 114, height: 40, cursor: 'pointer' }}
            onClick={() => void load()}
            data-testid={`${testId}-image`}
          />
        ) : (
          <span style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)' }}>{t('captcha.loadFailed')}</span>
        )}
      </div>
      <Button
        icon={<ReloadOutlined />}
        onClick={() => void load()}
        aria-label={t('captcha.refresh')}
        title={t('captcha.refresh')}
        data-testid={`${testId}-refresh`}
      />
    </Space.Compact>
  );
}
