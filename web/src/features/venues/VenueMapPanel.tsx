import { Space, Spin, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { CircleMarker, Tooltip } from 'react-leaflet';
import type { VenueType } from '../../../../domain/venue.ts';
import { MapLegend } from '../../components/map/Legend.tsx';
import { L } from '../../components/map/leaflet.ts';
import { MapView } from '../../components/map/MapView.tsx';
import type { Venue } from './api.ts';

/** One colour per venue type, for the markers and the legend. */
export const TYPE_COLORS: Record<VenueType, string> = {
  youth_home: '#d4380d',
  youth_parlour: '#c41d7f',
  youth_community: '#531dab',
  youth_station: '#08979c',
  party_mass_centre: '#cf1322',
  culture_hall: '#d48806',
  meeting_room: '#1d39c4',
  sports_ground: '#389e0d',
  other: '#595959',
};

/** 阵地地图 the filtered venues as coloured points; click one for its details and calendar. */
export function VenueMapPanel({
  venues,
  loading,
  selectedId,
  onSelect,
}: {
  venues: Venue[];
  loading: boolean;
  selectedId: number | null;
  onSelect: (venue: Venue) => void;
}) {
  const { t } = useTranslation();
  const fit = useMemo(() => {
    if (!venues.length) return null;
    const bounds = L.latLngBounds(venues.map((v) => [v.location.lat, v.location.lon] as L.LatLngTuple));
    return bounds.pad(0.1);
  }, [venues]);
  const types = [...new Set(venues.map((v) => v.type))];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <Typography.Text type="secondary" data-testid="venue-map-count">
          {t('venues.map.count', { count: venues.length })}
        </Typography.Text>
        {loading && <Spin size="small" />}
      </Space>
      <MapView
        data-testid="venue-map"
        data-venue-count={venues.length}
        style={{ height: 'calc(100vh - 360px)', minHeight: 420 }}
        fit={fit}
        canvas={false}
      >
        {venues.map((v) => (
          <CircleMarker
            key={v.id}
            center={[v.location.lat, v.location.lon]}
            radius={v.id === selectedId ? 11 : 8}
            // set at creation (pathOptions only restyles): the E2E and the stylesheet find markers by it
            className={`venue-marker venue-marker-${v.id}`}
            pathOptions={{
              color: '#fff',
              weight: 2,
              fillColor: TYPE_COLORS[v.type],
              fillOpacity: v.active ? 0.9 : 0.4,
            }}
            eventHandlers={{ click: () => onSelect(v) }}
          >
            <Tooltip direction="top" offset={[0, -8]}>
              {v.name}
              {v.capacity ? ` · ${v.capacity}` : ''}
            </Tooltip>
          </CircleMarker>
        ))}
        <MapLegend
          title={t('venues.map.legend')}
          items={types.map((type) => ({ color: TYPE_COLORS[type], label: t(`venues.type.${type}`) }))}
        />
      </MapView>
    </Space>
  );
}
