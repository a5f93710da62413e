import { LogoutOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Image, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { z } from 'zod';
import type { TotpSetupSchema } from '../../../../domain/account.ts';
import { LangSwitch } from '../../components/LangSwitch.tsx';
import { useApiError } from '../../components/useApiError.ts';
import { api } from '../../lib/api.ts';
import { ME_KEY, useMe, useSetSession } from './session.ts';

type Setup = z.infer<typeof TotpSetupSchema>;

/**
 * 绑定身份验证器: shows a fresh TOTP secret as a QR code and confirms it with a first code. `forced`: an
 * administrator under the 等保 profile must do this before anything else, so the page stands alone.
 */
export function TotpPage({ forced = false }: { forced?: boolean }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ code: string }>();
  const client = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const showError = useApiError();
  const setSession = useSetSession();
  const me = useMe();
  const [setup, setSetup] = useState<Setup | null>(null);
  const [busy, setBusy] = useState(false);
  const enabled = me.data?.secondFactor.enabled ?? false;

  const start = async () => {
    setBusy(true);
    try {
      setSetup(await api<Setup>('POST', '/api/auth/totp/setup', { silentSession: true }));
    } catch (error) {
      showError(error);
    } finally {
      setBusy(false);
    }
  };

  const confirm = async ({ code }: { code: string }) => {
    setBusy(true);
    try {
      await api('POST', '/api/auth/totp/enable', { body: { code }, silentSession: true });
      message.success(t('security.enabledSuccess'));
      setSetup(null);
      await client.invalidateQueries({ queryKey: ME_KEY });
      if (forced) navigate('/', { replace: true });
    } catch (error) {
      showError(error, form);
      form.setFieldValue('code', '');
    } finally {
      setBusy(false);
    }
  };

  const logout = async () => {
    await api('POST', '/api/auth/logout', { silentSession: true }).catch(() => undefined);
    setSession(null);
    navigate('/login', { replace: true });
  };

  const card = (
    <Card
      title={
        <Space>
          <SafetyCertificateOutlined />
          {t('security.title')}
        </Space>
      }
      style={{ width: '100%', maxWidth: 440 }}
    >
      {forced && <Alert type="warning" showIcon message={t('security.mustEnrol')} style={{ marginBottom: 16 }} />}
      {enabled ? (
        <Alert type="success" showIcon message={t('security.enabled')} data-testid="totp-enabled" />
      ) : setup ? (
        <Form form={form} layout="vertical" onFinish={confirm} requiredMark={false}>
          <Typography.Paragraph>{t('security.intro')}</Typography.Paragraph>
          <div style={{ textAlign: 'center' }}>
            <Image src={setup.qrDataUrl} width={200} preview={false} alt="otpauth" data-testid="totp-qr" />
          </div>
          <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
            {t('security.secret')}:{' '}
            <Typography.Text code copyable data-testid="totp-secret">
              {setup.secret}
            </Typography.Text>
          </Typography.Paragraph>
          <Form.Item
            name="code"
            label={t('security.code')}
            rules={[{ required: true, pattern: /^[0-9]{6}$/, message: t('security.codeRequired') }]}
          >
            <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} data-testid="totp-code" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="totp-confirm">
            {t('security.confirm')}
          </Button>
        </Form>
      ) : (
        <>
          <Typography.Paragraph>{t('security.notEnabled')}</Typography.Paragraph>
          <Button type="primary" block loading={busy} onClick={() => void start()} data-testid="totp-start">
            {t('security.start')}
          </Button>
        </>
      )}
      <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0, fontSize: 12 }}>
        {t('security.lostPhone')}
      </Typography.Paragraph>
    </Card>
  );

  if (!forced) return <div style={{ display: 'flex', justifyContent: 'center', paddingTop: 24 }}>{card}</div>;
  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        flexDirection: 'column',
        alignItems: 'center',
        justifyContent: 'center',
        padding: 16,
        background: '#f5f5f5',
      }}
    >
      <Space style={{ position: 'fixed', top: 12, right: 12 }}>
        <Typography.Text type="secondary">{me.data?.account.displayName}</Typography.Text>
        <LangSwitch type="default" />
        <Button icon={<LogoutOutlined />} onClick={() => void logout()} data-testid="logout">
          {t('header.logout')}
        </Button>
      </Space>
      <Typography.Title level={3} style={{ color: '#c8161d' }}>
        {t('app.name')}
      </Typography.Title>
      {card}
    </div>
  );
}
