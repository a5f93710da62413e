import { Button, Card, Col, ConfigProvider, Row, Statistic, Typography, theme } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { percent } from '../../../../domain/dashboard.ts';
import { useOverview } from './api.ts';
import { ChildBars, FourOnesBars } from './OverviewCharts.tsx';

const REFRESH_MS = 60_000;

/**
 * 大屏 the committee's display wall: the overview at 1920×1080 on a dark theme, refreshed every
 * minute. Covers the console layout (press Esc or the button to go back).
 */
export function BigScreenPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const overview = useOverview(undefined, { refetchMs: REFRESH_MS });
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1000);
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && navigate('/');
    window.addEventListener('keydown', onKey);
    return () => {
      clearInterval(timer);
      window.removeEventListener('keydown', onKey);
    };
  }, [navigate]);
  const o = overview.data;
  const clock = now.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
  const card = { background: 'rgba(255,255,255,0.04)', borderColor: '#1f3a5f' };
  return (
    <ConfigProvider theme={{ algorithm: theme.darkAlgorithm, token: { colorPrimary: '#e8383d' } }}>
      <div
        data-testid="big-screen"
        style={{
          position: 'fixed',
          inset: 0,
          zIndex: 1000,
          overflow: 'auto',
          padding: 24,
          background: 'radial-gradient(circle at 50% 0%, #10294a 0%, #050b18 70%)',
          color: '#e6f0ff',
        }}
      >
        <Row align="middle" style={{ marginBottom: 16 }}>
          <Col flex="auto">
            <Typography.Title level={2} style={{ margin: 0, color: '#fff', letterSpacing: 4 }}>
              {t('dashboard.screenTitle', { org: o?.org.name ?? '' })}
            </Typography.Title>
          </Col>
          <Col>
            <Typography.Text style={{ color: '#9fb3d1', marginRight: 16 }}>{clock}</Typography.Text>
            <Button onClick={() => navigate('/')} data-testid="big-screen-exit">
              {t('dashboard.exitScreen')}
            </Button>
          </Col>
        </Row>
        {o && (
          <>
            <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
              {['grids', 'people', 'members', 'orgs'].map((key) => (
                <Col key={key} span={6}>
                  <Card style={card}>
                    <Statistic
                      title={t(`counts.label_${key}`, { defaultValue: key })}
                      value={key === 'grids' ? o.grids.grids : (o.totals[key] ?? 0)}
                      valueStyle={{ fontSize: 44, color: '#ffd666' }}
                      data-testid={`screen-count-${key}`}
                    />
                  </Card>
                </Col>
              ))}
            </Row>
            <Row gutter={16}>
              <Col span={14}>
                <Card title={t('dashboard.byChild')} style={card}>
                  <ChildBars overview={o} dark height={560} />
                </Card>
              </Col>
              <Col span={10}>
                <Card title={t('dashboard.gridRules')} style={card}>
                  <Row gutter={16} style={{ marginBottom: 8 }}>
                    <Col span={12}>
                      <Statistic
                        title={t('dashboard.fourOnesRate')}
                        value={percent(o.grids.fourOnes.complete, o.grids.grids) ?? '-'}
                        suffix="%"
                      />
                    </Col>
                    <Col span={12}>
                      <Statistic
                        title={t('dashboard.withinRuleRate')}
                        value={percent(o.grids.grids - (o.grids.capacity.over ?? 0), o.grids.grids) ?? '-'}
                        suffix="%"
                      />
                    </Col>
                  </Row>
                  <FourOnesBars overview={o} dark height={460} />
                </Card>
              </Col>
            </Row>
          </>
        )}
      </div>
    </ConfigProvider>
  );
}
