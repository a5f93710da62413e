import { LogoutOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { LangSwitch } from '../../components/LangSwitch.tsx';
import { useApiError } from '../../components/useApiError.ts';
import { api } from '../../lib/api.ts';
import { ME_KEY, useMe, useSetSession } from './session.ts';

type PasswordForm = { currentPassword: string; newPassword: string; confirmPassword: string };

/**
 * Change password. `forced`: the account must change it before anything else, so the page stands
 * alone (no menu) with only the language switch and logout.
 */
export function ChangePasswordPage({ forced = false }: { forced?: boolean }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<PasswordForm>();
  const client = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const showError = useApiError();
  const setSession = useSetSession();
  const me = useMe();
  const [busy, setBusy] = useState(false);

  const submit = async ({ currentPassword, newPassword }: PasswordForm) => {
    setBusy(true);
    try {
      await api('POST', '/api/auth/password', { body: { currentPassword, newPassword }, silentSession: true });
      message.success(t('password.success'));
      form.resetFields();
      await client.invalidateQueries({ queryKey: ME_KEY });
      navigate('/', { replace: true });
    } catch (error) {
      showError(error, form);
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
    <Card title={t('password.title')} style={{ width: '100%', maxWidth: 440 }}>
      {forced && <Alert type="warning" showIcon message={t('password.mustChange')} style={{ marginBottom: 16 }} />}
      <Form<PasswordForm> form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item
          name="currentPassword"
          label={t('password.current')}
          rules={[{ required: true, message: t('password.required') }]}
        >
          <Input.Password autoComplete="current-password" data-testid="currentPassword" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('password.new')}
          extra={t('password.rule')}
          rules={[
            { required: true, message: t('password.required') },
            { min: 8, message: t('password.tooShort') },
            {
              validator: (_, value: string | undefined) =>
                !value || (/[A-Za-z]/.test(value) && /[0-9]/.test(value))
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('password.needLettersDigits'))),
            },
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="newPassword" />
        </Form.Item>
        <Form.Item
          name="confirmPassword"
          label={t('password.confirm')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('password.required') },
            ({ getFieldValue }) => ({
              validator: (_, value: string | undefined) =>
                !value || value === getFieldValue('newPassword')
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('password.mismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="confirmPassword" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy} data-testid="password-submit">
          {t('password.submit')}
        </Button>
      </Form>
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
