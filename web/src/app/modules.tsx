import {
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  BellOutlined,
  BorderInnerOutlined,
  DashboardOutlined,
  EnvironmentOutlined,
  FlagOutlined,
  SolutionOutlined,
  TeamOutlined,
  TrophyOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import type { Permission } from '../../../domain/account.ts';

/** The console's modules, one per capability of PRODUCT.md, plus administration. */
export type ModuleKey =
  | 'dashboard'
  | 'orgs'
  | 'grids'
  | 'people'
  | 'activities'
  | 'orders'
  | 'resources'
  | 'notices'
  | 'assessments'
  | 'stats'
  | 'accounts'
  | 'audit';

export type ModuleDef = {
  key: ModuleKey;
  path: string;
  icon: ReactNode;
  group: 'work' | 'admin';
  /** Needed to see the entry; none means every logged-in account. */
  permission?: Permission;
  /** False: shows the "coming soon" page. */
  ready: boolean;
};

export const MODULES: ModuleDef[] = [
  { key: 'dashboard', path: '/', icon: <DashboardOutlined />, group: 'work', ready: true },
  { key: 'orgs', path: '/orgs', icon: <ApartmentOutlined />, group: 'work', permission: 'org.read', ready: true },
  { key: 'grids', path: '/grids', icon: <BorderInnerOutlined />, group: 'work', permission: 'org.read', ready: true },
  {
    key: 'people',
    path: '/people',
    icon: <TeamOutlined />,
    group: 'work',
    permission: 'person.read',
    ready: true,
  },
  {
    key: 'activities',
    path: '/activities',
    icon: <FlagOutlined />,
    group: 'work',
    permission: 'activity.read',
    ready: true,
  },
  {
    key: 'orders',
    path: '/orders',
    icon: <SolutionOutlined />,
    group: 'work',
    permission: 'order.read',
    ready: true,
  },
  {
    key: 'resources',
    path: '/resources',
    icon: <EnvironmentOutlined />,
    group: 'work',
    permission: 'venue.read',
    ready: true,
  },
  { key: 'notices', path: '/notices', icon: <BellOutlined />, group: 'work', permission: 'notice.read', ready: true },
  { key: 'assessments', path: '/assessments', icon: <TrophyOutlined />, group: 'work', ready: true },
  // 数据看板 opens the big-screen overview (the workbench shows the same figures in the console).
  { key: 'stats', path: '/screen', icon: <BarChartOutlined />, group: 'work', permission: 'org.read', ready: true },
  {
    key: 'accounts',
    path: '/accounts',
    icon: <UserOutlined />,
    group: 'admin',
    permission: 'account.read',
    ready: true,
  },
  { key: 'audit', path: '/audit', icon: <AuditOutlined />, group: 'admin', permission: 'audit.read', ready: true },
];

export function visibleModules(permissions: readonly string[]): ModuleDef[] {
  return MODULES.filter((m) => !m.permission || permissions.includes(m.permission));
}
