import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Radio, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { type ActivitySettings, PLAN_APPROVER_LEVELS } from '../../../../domain/activity-more.ts';
import { useDistrict } from '../../app/district.tsx';
import { ApiError, api } from '../../lib/api.ts';
import { useSession } from '../auth/session.ts';

/** 审批设置 which level approves plans in the district (district and platform admins change it). */
export function ApprovalSettingsTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const session = useSession();
  const { districtId, canChoose } = useDistrict();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const editable = session.account.role === 'district_admin' || session.account.role === 'platform_admin';
  const key = ['activities', 'settings', districtId ?? null];
  const settings = useQuery({
    queryKey: key,
    queryFn: () => api<ActivitySettings>('GET', '/api/activity-settings', { query: { districtId } }),
    enabled: !canChoose || districtId !== undefined,
  });
  const save = useMutation({
    mutationFn: (planApprover: string) =>
      api<ActivitySettings>('PUT', '/api/activity-settings', { body: { districtId, planApprover } }),
    onSuccess: async (data) => {
      qc.setQueryData(key, data);
      await qc.invalidateQueries({ queryKey: ['activities', 'plans'] });
      message.success(t('activitiesMore.settings.saved'));
    },
    onError: (err) => message.error(err instanceof ApiError ? err.message : String(err)),
  });
  if (!settings.data) return null;
  return (
    <Card size="small" title={t('activitiesMore.settings.title')} data-testid="activity-settings">
      <Form
        form={form}
        layout="vertical"
        disabled={!editable}
        initialValues={{ planApprover: settings.data.planApprover }}
        onFinish={(v) => save.mutate(v.planApprover)}
      >
        <Form.Item name="planApprover" label={t('activitiesMore.settings.planApprover')}>
          <Radio.Group>
            <Space direction="vertical">
              {PLAN_APPROVER_LEVELS.map((level) => (
                <Radio key={level} value={level} data-testid={`plan-approver-${level}`}>
                  {t(`activitiesMore.settings.level.${level}`)}
                </Radio>
              ))}
            </Space>
          </Radio.Group>
        </Form.Item>
        <Typography.Paragraph type="secondary">{t('activitiesMore.settings.hint')}</Typography.Paragraph>
        {editable ? (
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="activity-settings-save">
            {t('common.save')}
          </Button>
        ) : (
          <Alert type="info" showIcon message={t('activitiesMore.settings.readOnly')} />
        )}
      </Form>
    </Card>
  );
}
