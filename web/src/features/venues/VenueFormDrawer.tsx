import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Col, Drawer, Form, Input, InputNumber, Row, Select, Space, Switch, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CircleMarker, useMapEvents } from 'react-leaflet';
import {
  BOOKABLE_BY,
  COMMON_FACILITIES,
  DEFAULT_OPENING_HOURS,
  type OpeningHours,
  VENUE_TYPES,
  WEEKDAYS,
  type Weekday,
} from '../../../../domain/venue.ts';
import { L } from '../../components/map/leaflet.ts';
import { MapView } from '../../components/map/MapView.tsx';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.tsx';
import { useApiError } from '../../components/useApiError.ts';
import { api } from '../../lib/api.ts';
import { type Venue, venueKeys } from './api.ts';
import { formatHours, parseDay } from './time.ts';

type Values = {
  orgId?: number;
  type: Venue['type'];
  name: string;
  lon?: number;
  lat?: number;
  address?: string;
  capacity?: number | null;
  facilities: string[];
  hours: Record<Weekday, string>;
  bookableBy: Venue['bookableBy'];
  advanceDays: number;
  maxMinutes: number;
  needsApproval: boolean;
  contactName?: string;
  contactPhone?: string;
  description?: string;
};

function PickPoint({ onPick }: { onPick: (lat: number, lon: number) => void }) {
  useMapEvents({ click: (e) => onPick(e.latlng.lat, e.latlng.lng) });
  return null;
}

/** 新建/编辑阵地 every field of a venue; the location is typed in or clicked on the map (WGS-84). */
export function VenueFormDrawer({
  venue,
  onClose,
  onSaved,
}: {
  venue: Venue | null;
  onClose: () => void;
  onSaved: (venue: Venue) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const showError = useApiError();
  const client = useQueryClient();
  const [saving, setSaving] = useState(false);
  const lon = Form.useWatch('lon', form);
  const lat = Form.useWatch('lat', form);
  const initial: Partial<Values> = useMemo(
    () =>
      venue
        ? {
            orgId: venue.orgId,
            type: venue.type,
            name: venue.name,
            lon: venue.location.lon,
            lat: venue.location.lat,
            address: venue.address ?? undefined,
            capacity: venue.capacity,
            facilities: venue.facilities,
            hours: formatHours(venue.openingHours),
            bookableBy: venue.bookableBy,
            advanceDays: venue.advanceDays,
            maxMinutes: venue.maxMinutes,
            needsApproval: venue.needsApproval,
            contactName: venue.contactName ?? undefined,
            contactPhone: venue.contactPhone ?? undefined,
            description: venue.description ?? undefined,
          }
        : {
            type: 'youth_home',
            facilities: [],
            hours: formatHours(DEFAULT_OPENING_HOURS),
            bookableBy: 'district',
            advanceDays: 30,
            maxMinutes: 240,
            needsApproval: false,
          },
    [venue],
  );
  const fit = useMemo(
    () => (venue ? L.latLngBounds([[venue.location.lat, venue.location.lon]]).pad(0.01) : null),
    [venue],
  );

  const submit = async (values: Values) => {
    const openingHours = Object.fromEntries(
      WEEKDAYS.map((d) => [d, parseDay(values.hours[d] ?? '') ?? []]),
    ) as OpeningHours;
    const body = {
      orgId: values.orgId,
      type: values.type,
      name: values.name,
      location: { lon: values.lon, lat: values.lat },
      address: values.address || null,
      capacity: values.capacity ?? null,
      facilities: values.facilities,
      openingHours,
      bookableBy: values.bookableBy,
      advanceDays: values.advanceDays,
      maxMinutes: values.maxMinutes,
      needsApproval: values.needsApproval,
      contactName: values.contactName || null,
      contactPhone: values.contactPhone || null,
      description: values.description || null,
    };
    setSaving(true);
    try {
      const saved = venue
        ? await api<Venue>('PATCH', `/api/venues/${venue.id}`, { body })
        : await api<Venue>('POST', '/api/venues', { body });
      await client.invalidateQueries({ queryKey: venueKeys.all });
      message.success(t(venue ? 'venues.msg.saved' : 'venues.msg.created'));
      onSaved(saved);
    } catch (error) {
      showError(error, form, { location: 'lon', openingHours: 'hours' });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Drawer
      open
      width="min(760px, 100vw)"
      onClose={onClose}
      title={venue ? `${t('venues.action.edit')} · ${venue.name}` : t('venues.action.create')}
      data-testid="venue-form"
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="venue-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form<Values> form={form} layout="vertical" initialValues={initial} onFinish={submit}>
        <Row gutter={12}>
          <Col xs={24} sm={14}>
            <Form.Item name="name" label={t('venues.field.name')} rules={[{ required: true, max: 100 }]}>
              <Input maxLength={100} data-testid="venue-name" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={10}>
            <Form.Item name="type" label={t('venues.field.type')} rules={[{ required: true }]}>
              <Select options={VENUE_TYPES.map((v) => ({ value: v, label: t(`venues.type.${v}`) }))} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="orgId" label={t('venues.field.org')} rules={[{ required: true }]}>
          <OrgTreeSelect data-testid="venue-org" />
        </Form.Item>
        <Form.Item label={t('venues.field.location')} required extra={t('venues.hint.pickOnMap')}>
          <Space>
            <Form.Item name="lon" noStyle rules={[{ required: true }]}>
              <InputNumber
                min={73}
                max={136}
                step={0.0001}
                placeholder={t('venues.field.lon')}
                data-testid="venue-lon"
              />
            </Form.Item>
            <Form.Item name="lat" noStyle rules={[{ required: true }]}>
              <InputNumber min={3} max={54} step={0.0001} placeholder={t('venues.field.lat')} data-testid="venue-lat" />
            </Form.Item>
          </Space>
        </Form.Item>
        <MapView style={{ height: 220, marginBottom: 16 }} fit={fit} canvas={false}>
          <PickPoint
            onPick={(pLat, pLon) =>
              form.setFieldsValue({ lat: Math.round(pLat * 1e6) / 1e6, lon: Math.round(pLon * 1e6) / 1e6 })
            }
          />
          {typeof lat === 'number' && typeof lon === 'number' && (
            <CircleMarker center={[lat, lon]} radius={8} pathOptions={{ color: '#d4380d' }} />
          )}
        </MapView>
        <Form.Item name="address" label={t('venues.field.address')} rules={[{ max: 200 }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} sm={8}>
            <Form.Item name="capacity" label={t('venues.field.capacity')}>
              <InputNumber min={1} max={100000} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={16}>
            <Form.Item name="facilities" label={t('venues.field.facilities')}>
              <Select
                mode="tags"
                options={COMMON_FACILITIES.map((f) => ({ value: f, label: t(`venues.facility.${f}`) }))}
              />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Text strong>{t('venues.field.openingHours')}</Typography.Text>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          {t('venues.hint.hours')}
        </Typography.Paragraph>
        {WEEKDAYS.map((d) => (
          <Form.Item
            key={d}
            name={['hours', d]}
            label={t(`venues.weekday.${d}`)}
            labelCol={{ span: 3 }}
            wrapperCol={{ span: 21 }}
            layout="horizontal"
            rules={[
              {
                validator: (_, value: string | undefined) =>
                  parseDay(value ?? '') === null
                    ? Promise.reject(new Error(t('venues.hint.hoursInvalid')))
                    : Promise.resolve(),
              },
            ]}
            style={{ marginBottom: 8 }}
          >
            <Input placeholder="08:30-12:00, 13:30-17:30" data-testid={`venue-hours-${d}`} />
          </Form.Item>
        ))}
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="bookableBy" label={t('venues.field.bookableBy')}>
              <Select options={BOOKABLE_BY.map((b) => ({ value: b, label: t(`venues.bookableBy.${b}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="advanceDays" label={t('venues.field.advanceDays')}>
              <InputNumber min={0} max={365} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="maxMinutes" label={t('venues.field.maxMinutes')}>
              <InputNumber min={15} max={1440} step={15} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="needsApproval" label={t('venues.field.needsApproval')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="contactName" label={t('venues.field.contactName')} rules={[{ max: 50 }]}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="contactPhone" label={t('venues.field.contactPhone')} rules={[{ max: 30 }]}>
              <Input maxLength={30} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="description" label={t('venues.field.description')} rules={[{ max: 1000 }]}>
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
