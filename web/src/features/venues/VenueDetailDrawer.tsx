import { CalendarOutlined, EditOutlined, LeftOutlined, PoweroffOutlined, RightOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Drawer, Empty, Popconfirm, Result, Space, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { WEEKDAYS } from '../../../../domain/venue.ts';
import { useApiError } from '../../components/useApiError.ts';
import { api } from '../../lib/api.ts';
import { useCan } from '../auth/session.ts';
import { type Booking, useCalendar, useUsage, useVenue, type Venue, venueKeys } from './api.ts';
import { BookingModal } from './BookingModal.tsx';
import {
  clockShanghai,
  dateOfDay,
  dayIndexOf,
  formatDay,
  mondayOf,
  shanghaiInstant,
  todayIndex,
  weekdayOfDay,
} from './time.ts';

export const STATUS_COLORS: Record<Booking['status'], string> = {
  requested: 'orange',
  approved: 'green',
  rejected: 'default',
  cancelled: 'default',
};

/** Approve / reject / cancel buttons of one booking, as the caller may use them. */
export function BookingActions({ booking }: { booking: Booking }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useApiError();
  const client = useQueryClient();
  const act = async (action: 'approve' | 'reject' | 'cancel') => {
    try {
      await api('POST', `/api/venue-bookings/${booking.id}/${action}`, { body: {} });
      await client.invalidateQueries({ queryKey: venueKeys.all });
      message.success(
        t(`venues.msg.${action === 'approve' ? 'approved' : action === 'reject' ? 'rejected' : 'cancelled'}`),
      );
    } catch (error) {
      showError(error);
    }
  };
  return (
    <Space size={4} wrap>
      {booking.canDecide && (
        <Button size="small" type="link" onClick={() => act('approve')} data-testid={`booking-approve-${booking.id}`}>
          {t('venues.action.approve')}
        </Button>
      )}
      {booking.canDecide && (
        <Button
          size="small"
          type="link"
          danger
          onClick={() => act('reject')}
          data-testid={`booking-reject-${booking.id}`}
        >
          {t('venues.action.reject')}
        </Button>
      )}
      {booking.canCancel && (
        <Popconfirm title={t('venues.msg.confirmCancel')} onConfirm={() => act('cancel')}>
          <Button size="small" type="link" danger data-testid={`booking-cancel-${booking.id}`}>
            {t('venues.action.cancel')}
          </Button>
        </Popconfirm>
      )}
    </Space>
  );
}

/** 周历 the bookings of one Shanghai week, a column per day with the day's opening hours. */
function WeekCalendar({ venue, onBook }: { venue: Venue; onBook: (date: string) => void }) {
  const { t } = useTranslation();
  const [monday, setMonday] = useState(() => mondayOf(todayIndex()));
  const from = shanghaiInstant(dateOfDay(monday), '00:00');
  const to = shanghaiInstant(dateOfDay(monday + 7), '00:00');
  const calendar = useCalendar(venue.id, from, to);
  const usage = useUsage(venue.id, from, to);
  const canBook = useCan('venue.book');
  const items = calendar.data?.items ?? [];
  const today = todayIndex();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Button icon={<LeftOutlined />} onClick={() => setMonday((m) => m - 7)} data-testid="venue-week-prev">
          {t('venues.action.prevWeek')}
        </Button>
        <Button onClick={() => setMonday(mondayOf(todayIndex()))}>{t('venues.action.thisWeek')}</Button>
        <Button onClick={() => setMonday((m) => m + 7)} data-testid="venue-week-next">
          {t('venues.action.nextWeek')} <RightOutlined />
        </Button>
        <Typography.Text strong>
          {dateOfDay(monday)} – {dateOfDay(monday + 6)}
        </Typography.Text>
        {calendar.isFetching && <Spin size="small" />}
      </Space>
      {usage.data && (
        <Typography.Text type="secondary" data-testid="venue-usage">
          {t('venues.detail.usageText', {
            booked: usage.data.hoursBooked,
            open: usage.data.hoursOpen,
            rate: Math.round(usage.data.utilisation * 1000) / 10,
          })}
        </Typography.Text>
      )}
      <div
        style={{ display: 'grid', gridTemplateColumns: 'repeat(7, minmax(90px, 1fr))', gap: 6, overflowX: 'auto' }}
        data-testid="venue-calendar"
      >
        {WEEKDAYS.map((_, i) => {
          const day = monday + i;
          const weekday = weekdayOfDay(day);
          const hours = venue.openingHours[weekday];
          const dayItems = items.filter((b) => dayIndexOf(b.start) === day);
          return (
            <Card
              key={day}
              size="small"
              styles={{ body: { padding: 6 } }}
              style={{ background: day === today ? '#fff7e6' : undefined, minHeight: 140 }}
              title={
                <div style={{ fontSize: 12 }}>
                  {t(`venues.weekday.${weekday}`)} {dateOfDay(day).slice(5)}
                </div>
              }
              extra={
                canBook &&
                venue.active &&
                hours.length > 0 &&
                day >= today && (
                  <Button
                    size="small"
                    type="text"
                    icon={<CalendarOutlined />}
                    onClick={() => onBook(dateOfDay(day))}
                    aria-label={t('venues.action.book')}
                  />
                )
              }
              data-testid={`venue-day-${dateOfDay(day)}`}
            >
              <Typography.Text type="secondary" style={{ fontSize: 11 }}>
                {hours.length ? formatDay(hours) : t('venues.detail.closed')}
              </Typography.Text>
              {dayItems.map((b) => (
                <div
                  key={b.id}
                  style={{
                    borderLeft: `3px solid ${b.status === 'approved' ? '#52c41a' : '#faad14'}`,
                    padding: '2px 4px',
                    marginTop: 4,
                    fontSize: 12,
                  }}
                  data-testid={`venue-booking-${b.id}`}
                >
                  <div>
                    {clockShanghai(b.start)}–{clockShanghai(b.end)}{' '}
                    <Tag color={STATUS_COLORS[b.status]} style={{ fontSize: 10, marginInlineEnd: 0 }}>
                      {t(`venues.status.${b.status}`)}
                    </Tag>
                  </div>
                  <div>{b.orgName}</div>
                  <Typography.Text type="secondary" style={{ fontSize: 11 }}>
                    {b.purpose}
                  </Typography.Text>
                  <BookingActions booking={b} />
                </div>
              ))}
            </Card>
          );
        })}
      </div>
      {items.length === 0 && !calendar.isFetching && (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('venues.detail.noBookings')} />
      )}
    </Space>
  );
}

/** 阵地详情 the venue's fields, its week calendar, and the book / edit / (de)activate actions. */
export function VenueDetailDrawer({
  id,
  onClose,
  onEdit,
}: {
  id: number;
  onClose: () => void;
  onEdit: (venue: Venue) => void;
}) {
  const { t } = useTranslation();
  const venue = useVenue(id);
  const canBook = useCan('venue.book');
  const { message } = App.useApp();
  const showError = useApiError();
  const client = useQueryClient();
  const [booking, setBooking] = useState<{ date?: string } | null>(null);
  const v = venue.data;
  const empty = t('common.empty');

  const toggle = async (target: Venue) => {
    try {
      if (target.active) await api('DELETE', `/api/venues/${target.id}`);
      else await api('PATCH', `/api/venues/${target.id}`, { body: { active: true } });
      await client.invalidateQueries({ queryKey: venueKeys.all });
      message.success(t('venues.msg.saved'));
    } catch (error) {
      showError(error);
    }
  };

  return (
    <Drawer
      open
      width="min(980px, 100vw)"
      onClose={onClose}
      data-testid="venue-detail"
      title={
        v ? (
          <Space>
            {v.name}
            <Tag>{t(`venues.type.${v.type}`)}</Tag>
            {!v.active && <Tag>{t('common.inactive')}</Tag>}
          </Space>
        ) : (
          t('common.loading')
        )
      }
      extra={
        v && (
          <Space>
            {canBook && v.active && (
              <Button type="primary" onClick={() => setBooking({})} data-testid="venue-book">
                {t('venues.action.book')}
              </Button>
            )}
            {v.canManage && (
              <Button icon={<EditOutlined />} onClick={() => onEdit(v)} data-testid="venue-edit">
                {t('venues.action.edit')}
              </Button>
            )}
            {v.canManage && (
              <Popconfirm
                title={v.active ? t('venues.msg.confirmDeactivate') : t('venues.action.reactivate')}
                onConfirm={() => toggle(v)}
              >
                <Button icon={<PoweroffOutlined />} danger={v.active} data-testid="venue-toggle">
                  {v.active ? t('venues.action.deactivate') : t('venues.action.reactivate')}
                </Button>
              </Popconfirm>
            )}
          </Space>
        )
      }
    >
      {venue.isLoading && <Spin />}
      {venue.isError && <Result status="warning" title={t('error.loadFailed')} />}
      {v && (
        <Space direction="vertical" style={{ width: '100%' }} size="large">
          <Descriptions column={{ xs: 1, sm: 2 }} size="small" bordered>
            <Descriptions.Item label={t('venues.field.org')}>{v.orgName}</Descriptions.Item>
            <Descriptions.Item label={t('venues.field.capacity')}>{v.capacity ?? empty}</Descriptions.Item>
            <Descriptions.Item label={t('venues.field.address')} span={2}>
              {v.address ?? empty}
            </Descriptions.Item>
            <Descriptions.Item label={t('venues.field.facilities')} span={2}>
              {v.facilities.length
                ? v.facilities.map((f) => <Tag key={f}>{t(`venues.facility.${f}`, { defaultValue: f })}</Tag>)
                : empty}
            </Descriptions.Item>
            <Descriptions.Item label={t('venues.field.openingHours')} span={2}>
              {WEEKDAYS.map((d) => (
                <div key={d}>
                  {t(`venues.weekday.${d}`)}：
                  {v.openingHours[d].length ? formatDay(v.openingHours[d]) : t('venues.detail.closed')}
                </div>
              ))}
            </Descriptions.Item>
            <Descriptions.Item label={t('venues.detail.rules')} span={2}>
              <Space wrap>
                <span>{t('venues.detail.rulesText', { days: v.advanceDays, minutes: v.maxMinutes })}</span>
                <Tag>{t(`venues.bookableBy.${v.bookableBy}`)}</Tag>
                {v.needsApproval && <Tag color="orange">{t('venues.field.needsApproval')}</Tag>}
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('venues.field.contactName')}>{v.contactName ?? empty}</Descriptions.Item>
            <Descriptions.Item label={t('venues.field.contactPhone')}>{v.contactPhone ?? empty}</Descriptions.Item>
            <Descriptions.Item label={t('venues.field.location')} span={2}>
              {v.location.lon.toFixed(5)}, {v.location.lat.toFixed(5)}
            </Descriptions.Item>
            {v.description && (
              <Descriptions.Item label={t('venues.field.description')} span={2}>
                {v.description}
              </Descriptions.Item>
            )}
          </Descriptions>
          <div>
            <Typography.Title level={5}>{t('venues.detail.calendar')}</Typography.Title>
            <WeekCalendar venue={v} onBook={(date) => setBooking({ date })} />
          </div>
        </Space>
      )}
      {v && booking && <BookingModal venue={v} date={booking.date} onClose={() => setBooking(null)} />}
    </Drawer>
  );
}
