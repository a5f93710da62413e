import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, InputNumber, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.tsx';
import { useApiError } from '../../components/useApiError.ts';
import { ApiError, api } from '../../lib/api.ts';
import { useSession } from '../auth/session.ts';
import { type Booking, type Venue, venueKeys } from './api.ts';
import { dateOfDay, shanghaiInstant, todayIndex } from './time.ts';

type Values = { orgId?: number; date: string; start: string; end: string; purpose: string; attendees?: number };

/** 预订 books a slot (Beijing time) for an org of the caller's subtree; a taken slot is shown plainly. */
export function BookingModal({
  venue,
  date,
  onClose,
}: {
  venue: Venue;
  /** 'YYYY-MM-DD' to start with (default tomorrow) */
  date?: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const me = useSession();
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const showError = useApiError();
  const client = useQueryClient();
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState<string | null>(null);

  const submit = async (values: Values) => {
    setSaving(true);
    setConflict(null);
    try {
      const booking = await api<Booking>('POST', `/api/venues/${venue.id}/bookings`, {
        body: {
          orgId: values.orgId,
          purpose: values.purpose,
          attendees: values.attendees ?? null,
          start: shanghaiInstant(values.date, values.start),
          end: shanghaiInstant(values.date, values.end),
        },
      });
      await client.invalidateQueries({ queryKey: venueKeys.all });
      message.success(t(booking.status === 'requested' ? 'venues.msg.requested' : 'venues.msg.booked'));
      onClose();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'BOOKING_CONFLICT') {
        setConflict(error.problem.title);
      } else {
        showError(error, form, { start: 'start', end: 'end', orgId: 'orgId', purpose: 'purpose' });
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={`${t('venues.action.book')} · ${venue.name}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('venues.action.book')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'booking-submit' }}
      data-testid="booking-modal"
      destroyOnClose
    >
      <Typography.Paragraph type="secondary">
        {t('venues.hint.timesShanghai')}
        {venue.needsApproval && !venue.canManage ? ` · ${t('venues.hint.needsApproval')}` : ''}
        {venue.needsApproval && venue.canManage ? ` · ${t('venues.hint.managerNoApproval')}` : ''}
      </Typography.Paragraph>
      {conflict && (
        <Alert type="error" showIcon message={conflict} style={{ marginBottom: 12 }} data-testid="booking-conflict" />
      )}
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        onValuesChange={() => setConflict(null)}
        initialValues={{
          orgId: me.account.orgId ?? undefined,
          date: date ?? dateOfDay(todayIndex() + 1),
          start: '10:00',
          end: '11:00',
        }}
      >
        <Form.Item name="orgId" label={t('venues.field.bookingOrg')} rules={[{ required: true }]}>
          <OrgTreeSelect data-testid="booking-org" />
        </Form.Item>
        <Form.Item name="date" label={t('venues.field.date')} rules={[{ required: true }]}>
          <Input type="date" data-testid="booking-date" />
        </Form.Item>
        <Form.Item label={t('venues.field.time')} required style={{ marginBottom: 0 }}>
          <Form.Item name="start" rules={[{ required: true }]} style={{ display: 'inline-block', width: 140 }}>
            <Input type="time" step={900} data-testid="booking-start" />
          </Form.Item>
          <span style={{ display: 'inline-block', width: 24, textAlign: 'center', lineHeight: '32px' }}>–</span>
          <Form.Item name="end" rules={[{ required: true }]} style={{ display: 'inline-block', width: 140 }}>
            <Input type="time" step={900} data-testid="booking-end" />
          </Form.Item>
        </Form.Item>
        <Form.Item name="purpose" label={t('venues.field.purpose')} rules={[{ required: true, max: 200 }]}>
          <Input maxLength={200} data-testid="booking-purpose" />
        </Form.Item>
        <Form.Item name="attendees" label={t('venues.field.attendees')}>
          <InputNumber min={1} max={100000} style={{ width: 160 }} data-testid="booking-attendees" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
