import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { LangSwitch } from '../../components/LangSwitch.tsx';
import { PageSpinner } from '../../components/PageSpinner.tsx';
import { useApiError } from '../../components/useApiError.ts';
import { ApiError, api } from '../../lib/api.ts';
import { type Me, SESSION_NOTICE_KEY, useMe, useSetSession } from './session.ts';

type LoginForm = { username: string; password: string; totp?: string };

export function LoginPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<LoginForm>();
  const me = useMe();
  const setSession = useSetSession();
  const navigate = useNavigate();
  const location = useLocation();
  const showError = useApiError();
  const [busy, setBusy] = useState(false);
  /** Shown once the server answers TOTP_REQUIRED: this account has an authenticator. */
  const [askCode, setAskCode] = useState(false);
  const [notice] = useState(() => {
    try {
      const text = sessionStorage.getItem(SESSION_NOTICE_KEY);
      sessionStorage.removeItem(SESSION_NOTICE_KEY);
      return text;
    } catch {
      return null;
    }
  });
  const from = (location.state as { from?: string } | null)?.from ?? '/';

  if (me.isPending) return <PageSpinner />;
  if (me.data) return <Navigate to={from} replace />;

  const submit = async (values: LoginForm) => {
    setBusy(true);
    try {
      const session = await api<Me>('POST', '/api/auth/login', { body: values, silentSession: true });
      setSession(session);
      navigate(from, { replace: true });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'TOTP_REQUIRED' && !askCode) {
        setAskCode(true); // keep the password: the same submit goes again with the code
      } else {
        showError(error, form);
        form.setFieldValue('password', '');
        form.setFieldValue('totp', '');
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        flexDirection: 'column',
        alignItems: 'center',
        justifyContent: 'center',
        padding: 16,
        background: 'linear-gradient(160deg, #fff1f0 0%, #f5f5f5 60%)',
      }}
    >
      <div style={{ position: 'fixed', top: 12, right: 12 }}>
        <LangSwitch type="default" />
      </div>
      <Card style={{ width: '100%', maxWidth: 380 }}>
        <div style={{ textAlign: 'center', marginBottom: 24 }}>
          <Typography.Title level={2} style={{ marginBottom: 4, color: '#c8161d' }}>
            {t('app.name')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('app.fullName')}</Typography.Text>
        </div>
        {notice && (
          <Alert type="warning" showIcon message={notice} style={{ marginBottom: 16 }} data-testid="session-notice" />
        )}
        <Form<LoginForm> form={form} layout="vertical" onFinish={submit} requiredMark={false} size="large">
          <Form.Item
            name="username"
            label={t('auth.username')}
            rules={[{ required: true, message: t('auth.usernameRequired') }]}
          >
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="login-username" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('auth.password')}
            rules={[{ required: true, message: t('auth.passwordRequired') }]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          {askCode && (
            <Form.Item
              name="totp"
              label={t('security.loginCode')}
              extra={t('security.loginCodeHint')}
              rules={[{ required: true, pattern: /^[0-9]{6}$/, message: t('security.codeRequired') }]}
            >
              <Input
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                autoFocus
                data-testid="login-totp"
              />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            {t('auth.submit')}
          </Button>
        </Form>
      </Card>
      <Typography.Paragraph
        type="secondary"
        style={{ marginTop: 16, fontSize: 12, textAlign: 'center', maxWidth: 380 }}
      >
        {t('auth.footer')}
      </Typography.Paragraph>
    </div>
  );
}
