import { Card, Col, Empty, Row, Skeleton, Statistic, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useDistrict } from '../../app/district.tsx';
import { MODULES, visibleModules } from '../../app/modules.tsx';
import { useCan, useSession } from '../auth/session.ts';
import { useOrgTree } from '../orgs/api.ts';

/** 工作台: a welcome and the real totals of the account's subtree (from the org tree's roll-ups). */
export function DashboardPage() {
  const { t } = useTranslation();
  const me = useSession();
  const district = useDistrict();
  const canReadOrgs = useCan('org.read');
  const tree = useOrgTree(canReadOrgs);

  const totals: Record<string, number> = {};
  for (const root of tree.data?.roots ?? []) {
    for (const [key, value] of Object.entries(root.counts)) totals[key] = (totals[key] ?? 0) + value;
  }
  const keys = ['orgs', 'accounts', ...Object.keys(totals).filter((k) => k !== 'orgs' && k !== 'accounts')];
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

      {canReadOrgs && (
        <Card title={t('dashboard.scope')} style={{ marginBottom: 16 }}>
          {tree.isPending ? (
            <Skeleton active paragraph={{ rows: 1 }} />
          ) : !tree.data || tree.data.roots.length === 0 ? (
            <Empty description={t('dashboard.noData')} />
          ) : (
            <Row gutter={[16, 16]}>
              {keys.map((key) => (
                <Col key={key} xs={12} sm={8} md={6}>
                  <Statistic
                    title={t(`counts.label_${key}`, { defaultValue: key })}
                    value={totals[key] ?? 0}
                    data-testid={`dashboard-count-${key}`}
                  />
                </Col>
              ))}
            </Row>
          )}
        </Card>
      )}

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
