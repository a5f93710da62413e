import { SettingOutlined } from '@ant-design/icons';
import { Button, Input, Modal, Space, Tooltip, Typography } from 'antd';
import { type CSSProperties, type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MapContainer, useMap } from 'react-leaflet';
import { BaseLayers } from './BaseLayers.tsx';
import { DEFAULT_CENTER, DEFAULT_ZOOM, type L } from './leaflet.ts';
import { getTiandituKey, setTiandituKey } from './settings.ts';

type Props = {
  children?: ReactNode;
  style?: CSSProperties;
  className?: string;
  /** Fits the view to these bounds whenever they change (by value). */
  fit?: L.LatLngBounds | null;
  /** Canvas rendering (default): thousands of polygons pan smoothly. SVG prints crisper. */
  canvas?: boolean;
  interactive?: boolean;
  /** data-testid and other data attributes land on the wrapping element. */
  [data: `data-${string}`]: string | number | undefined;
};

/** A Leaflet map on the 天地图 base (when a key is set) or a blank one: no other tile source is used. */
export function MapView({ children, style, className, fit, canvas = true, interactive = true, ...data }: Props) {
  return (
    <div {...data} className={className} style={{ position: 'relative', ...style }}>
      <MapContainer
        center={DEFAULT_CENTER}
        zoom={DEFAULT_ZOOM}
        preferCanvas={canvas}
        zoomSnap={0.5}
        scrollWheelZoom={interactive}
        dragging={interactive}
        zoomControl={interactive}
        doubleClickZoom={interactive}
        attributionControl={false}
        style={{ height: '100%', width: '100%', background: '#f4f1ea' }}
      >
        <BaseLayers />
        <KeepSized />
        <FitBounds bounds={fit ?? null} />
        {children}
      </MapContainer>
    </div>
  );
}

/** Maps in drawers and tabs start hidden or animating: re-measure whenever the container resizes. */
function KeepSized() {
  const map = useMap();
  useEffect(() => {
    const observer = new ResizeObserver(() => map.invalidateSize({ pan: false }));
    observer.observe(map.getContainer());
    return () => observer.disconnect();
  }, [map]);
  return null;
}

function FitBounds({ bounds }: { bounds: L.LatLngBounds | null }) {
  const map = useMap();
  const key = bounds?.isValid() ? bounds.toBBoxString() : '';
  // biome-ignore lint/correctness/useExhaustiveDependencies: refit only when the box itself changes
  useEffect(() => {
    if (!bounds?.isValid()) return;
    const fitView = () => map.fitBounds(bounds, { padding: [16, 16], maxZoom: 17 });
    fitView();
    // a map still opening (drawer animation) resizes right after: fit again to its real size
    const since = Date.now();
    const refit = () => {
      if (Date.now() - since < 1500) fitView();
    };
    map.on('resize', refit);
    return () => {
      map.off('resize', refit);
    };
  }, [key, map]);
  return null;
}

/** Sets this browser's 天地图 key (stored in localStorage); an empty key means a blank base. */
export function MapSettingsButton() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState('');
  return (
    <>
      <Tooltip title={t('map.settings')}>
        <Button
          icon={<SettingOutlined />}
          onClick={() => {
            setValue(getTiandituKey());
            setOpen(true);
          }}
          data-testid="map-settings"
        />
      </Tooltip>
      <Modal
        open={open}
        title={t('map.settings')}
        onCancel={() => setOpen(false)}
        onOk={() => {
          setTiandituKey(value);
          setOpen(false);
        }}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text>{t('map.tiandituKey')}</Typography.Text>
          <Input
            value={value}
            onChange={(e) => setValue(e.target.value)}
            placeholder={t('map.tiandituKeyPlaceholder')}
            allowClear
            data-testid="map-tianditu-key"
          />
          <Typography.Text type="secondary">{t('map.tiandituHint')}</Typography.Text>
        </Space>
      </Modal>
    </>
  );
}
