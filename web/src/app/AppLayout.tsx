import { KeyOutlined, LogoutOutlined, SafetyCertificateOutlined, UserOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Layout, Menu, type MenuProps, Space, Tag, Tooltip, Typography, theme } from 'antd';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { LangSwitch } from '../components/LangSwitch.tsx';
import { PageSpinner } from '../components/PageSpinner.tsx';
import { useScreens } from '../components/useScreens.ts';
import { useSession, useSetSession } from '../features/auth/session.ts';
import { api } from '../lib/api.ts';
import { useDistrict } from './district.tsx';
import { type ModuleDef, visibleModules } from './modules.tsx';

// Only platform admins choose a district: antd's Select (with its virtual list) stays out of everybody's first load
const DistrictSelect = lazy(() => import('./DistrictSelect.tsx').then((m) => ({ default: m.DistrictSelect })));

/** Where Layout.Sider's `breakpoint="lg"` collapses it (antd's own query). */
const SIDER_COLLAPSES = 'screen and (max-width: 991.98px)';

/** Side menu + header around every page of a logged-in account. */
export function AppLayout() {
  const { t } = useTranslation();
  const me = useSession();
  const location = useLocation();
  const screens = useScreens();
  // Collapsed from the first render on a narrow screen (the Sider's own breakpoint listener runs after the first
  // paint, and the menu sliding shut moved the whole page: issue 10, layout shift)
  const [collapsed, setCollapsed] = useState(() => window.matchMedia(SIDER_COLLAPSES).matches);
  const { token } = theme.useToken();

  const modules = visibleModules(me.permissions);
  const selected =
    modules.find((m) => m.path !== '/' && location.pathname.startsWith(m.path))?.key ??
    (location.pathname === '/' ? 'dashboard' : '');

  const items = useMemo<MenuProps['items']>(() => {
    const entry = (m: ModuleDef) => ({
      key: m.key,
      icon: m.icon,
      label: (
        <Link to={m.path} data-testid={`nav-${m.key}`}>
          {t(`nav.${m.key}`)}
        </Link>
      ),
    });
    const work = modules.filter((m) => m.group === 'work').map(entry);
    const admin = modules.filter((m) => m.group === 'admin').map(entry);
    return [
      { type: 'group' as const, key: 'g-work', label: t('nav.groupWork'), children: work },
      ...(admin.length > 0
        ? [{ type: 'group' as const, key: 'g-admin', label: t('nav.groupAdmin'), children: admin }]
        : []),
    ];
  }, [modules, t]);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        breakpoint="lg"
        collapsedWidth={screens.md ? 64 : 0}
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        width={224}
        style={{ position: 'sticky', top: 0, height: '100vh', zIndex: 20 }}
      >
        <div style={{ height: '100%', overflowY: 'auto', overflowX: 'hidden' }}>
          <Link to="/" style={{ display: 'block', padding: '16px 20px', color: '#fff' }}>
            <Typography.Text strong style={{ color: '#fff', fontSize: 18 }}>
              {collapsed ? t('app.name').slice(0, 2) : t('app.name')}
            </Typography.Text>
            {!collapsed && (
              <div style={{ color: 'rgba(255,255,255,0.55)', fontSize: 12, marginTop: 2 }}>{t('app.tagline')}</div>
            )}
          </Link>
          {/* shut to zero width on a phone: rendered once opened (the menu is the layout's largest render) */}
          {(!collapsed || screens.md) && <Menu theme="dark" mode="inline" selectedKeys={[selected]} items={items} />}
        </div>
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: token.colorBgContainer,
            padding: '0 16px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'flex-end',
            gap: 8,
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
            position: 'sticky',
            top: 0,
            zIndex: 10,
          }}
        >
          <HeaderBar />
        </Layout.Header>
        <Layout.Content style={{ margin: screens.md ? 16 : 8, minWidth: 0 }}>
          <Suspense fallback={<PageSpinner />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

function HeaderBar() {
  const { t } = useTranslation();
  const me = useSession();
  const district = useDistrict();
  const setSession = useSetSession();
  const navigate = useNavigate();
  const client = useQueryClient();
  const { message } = App.useApp();
  const screens = useScreens();

  const logout = async () => {
    try {
      await api('POST', '/api/auth/logout', { silentSession: true });
    } catch {
      // the session may already be gone; leaving is what matters
    }
    setSession(null);
    client.clear();
    message.success(t('header.loggedOut'));
    navigate('/login', { replace: true });
  };

  return (
    <Space size={screens.md ? 'middle' : 'small'} wrap={false} style={{ overflow: 'hidden' }}>
      {!screens.sm ? null : district.canChoose ? (
        <Suspense fallback={<Tag>{district.districtName ?? t('header.districtPlaceholder')}</Tag>}>
          <DistrictSelect />
        </Suspense>
      ) : (
        <Tag color="red" data-testid="header-district">
          {district.districtName ?? t('header.noDistrict')}
        </Tag>
      )}
      <Space size={4} align="center" style={{ lineHeight: 1.5 }}>
        <UserOutlined />
        <Typography.Text strong data-testid="header-user" style={{ whiteSpace: 'nowrap' }}>
          {me.account.displayName}
        </Typography.Text>
        {screens.sm && <Typography.Text type="secondary">{t(`role.${me.account.role}`)}</Typography.Text>}
      </Space>
      <Tooltip title={t('header.changePassword')}>
        <Button type="text" icon={<KeyOutlined />} onClick={() => navigate('/password')} data-testid="change-password">
          {screens.lg ? t('header.changePassword') : null}
        </Button>
      </Tooltip>
      <Tooltip title={t('security.menu')}>
        <Button
          type="text"
          icon={<SafetyCertificateOutlined />}
          onClick={() => navigate('/security')}
          data-testid="security-settings"
        >
          {screens.xl ? t('security.menu') : null}
        </Button>
      </Tooltip>
      <LangSwitch />
      <Button type="text" icon={<LogoutOutlined />} onClick={() => void logout()} data-testid="logout">
        {screens.sm ? t('header.logout') : null}
      </Button>
    </Space>
  );
}
