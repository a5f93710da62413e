import { FullscreenOutlined } from '@ant-design/icons';
import { Button, Card, Col, Empty, Row, Skeleton, Statistic, Tag, Typography } from 'antd';
import { lazy, type ReactNode, Suspense, useDeferredValue, useEffect, useRef, useState } from 'react';
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

      {/* below the figures and charts: rendered when scrolled to (one card per module, the first render's largest
          part after the layout) */}
      <WhenVisible placeholder={<div style={{ minHeight: 320 }} />}>
        <ModulesCard />
      </WhenVisible>
    </div>
  );
}

/** 平台功能建设进度: a link to every module the account may open. */
function ModulesCard() {
  const { t } = useTranslation();
  const me = useSession();
  const visible = new Set(visibleModules(me.permissions).map((m) => m.key));
  return (
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
  );
}

function ScreenButton() {
  const { t } = useTranslation();
  return (
    <Link to="/screen" data-testid="dashboard-screen">
      <Button icon={<FullscreenOutlined />}>{t('dashboard.bigScreen')}</Button>
    </Link>
  );
}

/** The figures of the account's subtree: totals, per-town bars, grid rules, module sections. */
function Overview() {
  const { t } = useTranslation();
  const me = useSession();
  const overview = useOverview(undefined);
  // the figures are rendered in a deferred, time-sliced render, not in react-query's synchronous one
  const data = useDeferredValue(overview.data);
  if (overview.isPending || (overview.data && !data))
    // The card as it will be (same title and button, so nothing above the figures moves when they come), and
    // below it a blank block a screen high: what follows (charts, map, the modules card) is below the fold until
    // it has its real size (issue 10: the modules card jumping down scored a layout shift of 0.65).
    return (
      <>
        <Card
          title={t('dashboard.scopeOf', { org: me.account.orgName ?? '' })}
          style={{ marginBottom: 16 }}
          extra={<ScreenButton />}
          data-testid="dashboard-overview-loading"
        >
          <Skeleton active title={false} paragraph={{ rows: 4 }} />
        </Card>
        <div style={{ minHeight: '100vh' }} />
      </>
    );
  if (!data)
    return (
      <Card style={{ marginBottom: 16 }}>
        <Empty description={t('dashboard.noData')} />
      </Card>
    );
  const o = data;
  const ordersSection = o.sections.find((s) => s.key === 'orders');
  const keys = ['orgs', 'accounts', ...Object.keys(o.totals).filter((k) => k !== 'orgs' && k !== 'accounts')];
  return (
    <>
      <Card title={t('dashboard.scopeOf', { org: o.org.name })} style={{ marginBottom: 16 }} extra={<ScreenButton />}>
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
      <WhenVisible placeholder={<ChartsPlaceholder />}>
        <Suspense fallback={<ChartsPlaceholder />}>
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
      </WhenVisible>
    </>
  );
}

/** Where the map and charts will be: a screen high, so the modules card below is off screen until they come. */
function ChartsPlaceholder() {
  return (
    <div style={{ minHeight: '100vh' }} data-testid="dashboard-charts-placeholder">
      <Skeleton active />
    </div>
  );
}

/**
 * Renders `children` once the placeholder comes into view. The map (Leaflet, the grids' polygons) and the
 * charts (ECharts) are most of the dashboard's weight and main-thread work; on a phone they are below the
 * figures, so they load when the cadre scrolls to them instead of competing with the figures (issue 10). On a
 * desktop screen they are in view at once and load straight away.
 */
function WhenVisible({ placeholder, children }: { placeholder: ReactNode; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [seen, setSeen] = useState(() => typeof IntersectionObserver === 'undefined');
  useEffect(() => {
    const element = ref.current;
    if (seen || !element) return;
    // starts a little before it scrolls into view
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) setSeen(true);
      },
      { rootMargin: '0px 0px 100px 0px' },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [seen]);
  return seen ? children : <div ref={ref}>{placeholder}</div>;
}
