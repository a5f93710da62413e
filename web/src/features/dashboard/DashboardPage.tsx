import { FullscreenOutlined } from '@ant-design/icons';
import { Button, Card, Col, Empty, Row, Skeleton, Statistic, Tag, Typography } from 'antd';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { percent } from '../../../../domain/dashboard.ts';
import { useDistrict } from '../../app/district.tsx';
import { MODULES, visibleModules } from '../../app/modules.tsx';
import { useCan, useSession } from '../auth/session.ts';
import { useOverview } from './api.ts';

// Charts (ECharts) and the map (Leaflet) load after the figures: they are most of the page's weight
// (issue 10: console first load < 600 KB gzip), and the numbers above them are what a cadre reads first.
const GridMetricMap = lazy(() => import('./GridMetricMap.tsx').then((m) => ({ default: m.GridMetricMap })));
const OrdersCard = lazy(() => import('./OrdersCard.tsx').then((m) => ({ default: m.OrdersCard })));
const ChildBars = lazy(() => import('./OverviewCharts.tsx').then((m) => ({ default: m.ChildBars })));
const FourOnesBars = lazy(() => import('./OverviewCharts.tsx').then((m) => ({ default: m.FourOnesBars })));

/** 工作台: a welcome and the real totals of the account's subtree (from the org tree's roll-ups). */
export function DashboardPage() {
  const { t } = useTranslation();
  const me = useSession();
  const district = useDistrict();
  const canReadOrgs = useCan('org.read');
  const visible = new Set(visibleModules(me.permissions).map((m) => m.key));

  return (
    <div>
      <Card style={{ marginBottom: 16 }}>
        <Typography.Title level={3} style={{ marginTop: 0 }} data-testid="dashboard-welcome">
          {t('dashboard.welcome', { name: me.account.displayName })}
        </Typography.Title>
        <Typography.Text type="secondary">
          {t('dashboard.intro', {
            district: district.districtName ?? t('header.noDistrict'),
            role: t(`role.${me.account.role}`),
          })}
          {me.account.orgName ? ` · ${me.account.orgName}` : ''}
        </Typography.Text>
      </Card>

      {canReadOrgs && <Overview />}

      <Card title={t('dashboard.modules')}>
        <Row gutter={[12, 12]}>
          {MODULES.filter((m) => m.key !== 'dashboard' && visible.has(m.key)).map((m) => (
            <Col key={m.key} xs={24} sm={12} lg={8} xl={6}>
              <Link to={m.path}>
                <Card size="small" hoverable>
                  <Card.Meta
                    avatar={<span style={{ fontSize: 22, color: '#c8161d' }}>{m.icon}</span>}
                    title={t(`nav.${m.key}`)}
                    description={
                      m.ready ? <Tag color="green">{t('dashboard.ready')}</Tag> : <Tag>{t('dashboard.building')}</Tag>
                    }
                  />
                </Card>
              </Link>
            </Col>
          ))}
        </Row>
      </Card>
    </div>
  );
}

/** The figures of the account's subtree: totals, per-town bars, grid rules, module sections. */
function Overview() {
  const { t } = useTranslation();
  const overview = useOverview(undefined);
  if (overview.isPending)
    return (
      <Card style={{ marginBottom: 16 }}>
        <Skeleton active paragraph={{ rows: 4 }} />
      </Card>
    );
  if (!overview.data)
    return (
      <Card style={{ marginBottom: 16 }}>
        <Empty description={t('dashboard.noData')} />
      </Card>
    );
  const o = overview.data;
  const ordersSection = o.sections.find((s) => s.key === 'orders');
  const keys = ['orgs', 'accounts', ...Object.keys(o.totals).filter((k) => k !== 'orgs' && k !== 'accounts')];
  return (
    <>
      <Card
        title={t('dashboard.scopeOf', { org: o.org.name })}
        style={{ marginBottom: 16 }}
        extra={
          <Link to="/screen" data-testid="dashboard-screen">
            <Button icon={<FullscreenOutlined />}>{t('dashboard.bigScreen')}</Button>
          </Link>
        }
      >
        <Row gutter={[16, 16]}>
          {keys.map((key) => (
            <Col key={key} xs={12} sm={8} md={6} lg={4}>
              <Statistic
                title={t(`counts.label_${key}`, { defaultValue: key })}
                value={o.totals[key] ?? 0}
                data-testid={`dashboard-count-${key}`}
              />
            </Col>
          ))}
          <Col xs={12} sm={8} md={6} lg={4}>
            <Statistic
              title={t('dashboard.fourOnesRate')}
              value={percent(o.grids.fourOnes.complete, o.grids.grids) ?? '-'}
              suffix="%"
              data-testid="dashboard-four-ones-rate"
            />
          </Col>
          <Col xs={12} sm={8} md={6} lg={4}>
            <Statistic
              title={t('dashboard.withinRuleRate')}
              value={percent(o.grids.grids - (o.grids.capacity.over ?? 0), o.grids.grids) ?? '-'}
              suffix="%"
              data-testid="dashboard-within-rule-rate"
            />
          </Col>
          {o.sections
            .filter((s) => s.key !== 'orders')
            .flatMap((s) =>
              Object.entries(s.values).map(([name, value]) => (
                <Col key={`${s.key}.${name}`} xs={12} sm={8} md={6} lg={4}>
                  <Statistic
                    title={t(`dashboard.section.${s.key}.${name}`, { defaultValue: `${s.key} ${name}` })}
                    value={value ?? '-'}
                    data-testid={`dashboard-section-${s.key}-${name}`}
                  />
                </Col>
              )),
            )}
        </Row>
      </Card>
      <Suspense fallback={<Skeleton active />}>
        <GridMetricMap />
        {ordersSection && <OrdersCard section={ordersSection} />}
        {o.children.length > 0 && (
          <Row gutter={16} style={{ marginBottom: 16 }}>
            <Col xs={24} xl={14}>
              <Card title={t('dashboard.byChild')}>
                <ChildBars overview={o} />
              </Card>
            </Col>
            <Col xs={24} xl={10}>
              <Card title={t('dashboard.gridRules')}>
                <FourOnesBars overview={o} height={360} />
              </Card>
            </Col>
          </Row>
        )}
      </Suspense>
    </>
  );
}
