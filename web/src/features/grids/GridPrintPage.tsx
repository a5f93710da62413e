import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, Space, Spin, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { boundsOf } from '../../components/map/leaflet.ts';
import { MapView } from '../../components/map/MapView.tsx';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.tsx';
import { formatTime } from '../../lib/i18n.ts';
import { useOrg } from '../orgs/api.ts';
import { type Grid, useGridMap } from './api.ts';
import { GridPolygons } from './GridPolygons.tsx';
import './print.css';
import { isVillageKind } from './orgKinds.ts';

const leaderOf = (g: Grid) => g.leader?.name ?? null;

/** 一张网格示意图 a printable map of one village's or community's grids with names and leaders. */
export function GridPrintPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const requested = Number(params.get('villageId'));
  const villageId = Number.isInteger(requested) && requested > 0 ? requested : undefined;
  const village = useOrg(villageId ?? null);
  const grids = useGridMap({ villageId }, villageId !== undefined);
  const items = grids.data?.items ?? [];
  const drawn = useMemo(() => items.filter((g) => g.boundary), [items]);
  const fit = useMemo(() => boundsOf(drawn.map((g) => g.boundary)), [drawn]);

  return (
    <Space direction="vertical" style={{ width: '100%' }} size={12}>
      <Card size="small" className="jw-no-print">
        <Space wrap>
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/grids')}>
            {t('common.back')}
          </Button>
          <Typography.Text>{t('grids.print.village')}</Typography.Text>
          <OrgTreeSelect
            value={villageId}
            onChange={(v) => setParams(v ? { villageId: String(v) } : {}, { replace: true })}
            isDisabled={(n) => !isVillageKind(n.kind)}
            style={{ width: 300 }}
            data-testid="grid-print-village"
          />
          <Button
            type="primary"
            icon={<PrinterOutlined />}
            disabled={!villageId || grids.isPending}
            onClick={() => window.print()}
            data-testid="grid-print-go"
          >
            {t('grids.print.print')}
          </Button>
          <Typography.Text type="secondary">{t('grids.print.hint')}</Typography.Text>
        </Space>
      </Card>
      {!villageId ? (
        <Card>
          <Empty description={t('grids.print.pickVillage')} />
        </Card>
      ) : grids.isPending ? (
        <Spin style={{ display: 'block', margin: '48px auto' }} />
      ) : grids.isError ? (
        <Alert type="error" showIcon message={grids.error.message} />
      ) : (
        <div className="jw-grid-print" data-testid="grid-print">
          <h1>{t('grids.print.title', { name: village.data?.name ?? '' })}</h1>
          <Typography.Paragraph type="secondary" style={{ textAlign: 'center', marginBottom: 8 }}>
            {t('grids.print.subtitle', {
              count: items.length,
              date: formatTime(new Date().toISOString()).slice(0, 10),
            })}
          </Typography.Paragraph>
          {drawn.length > 0 ? (
            <MapView
              className="jw-print-map"
              style={{ height: 560, border: '1px solid #d9d9d9' }}
              fit={fit}
              canvas={false}
            >
              <GridPolygons grids={drawn} plain="#cf1322" fillOpacity={0.06} labelZoom={0} subLabel={leaderOf} />
            </MapView>
          ) : (
            <Empty description={t('grids.print.noBoundaries')} />
          )}
          <table>
            <thead>
              <tr>
                <th>{t('grids.field.code')}</th>
                <th>{t('grids.field.name')}</th>
                <th>{t('grids.field.kind')}</th>
                <th>{t('grids.field.leader')}</th>
                <th>{t('grids.field.contact')}</th>
                <th>{t('grids.field.venue')}</th>
                <th>{t('grids.print.counts')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((g) => (
                <tr key={g.id}>
                  <td>{g.code}</td>
                  <td>{g.name}</td>
                  <td>{t(`grids.kind.${g.kind}`)}</td>
                  <td>{g.leader?.name ?? '—'}</td>
                  <td>{g.contact?.name ?? '—'}</td>
                  <td>{g.venue ?? '—'}</td>
                  <td>
                    {g.youthCount ?? '—'} / {g.memberCount ?? '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Space>
  );
}
