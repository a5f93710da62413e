import { useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Checkbox,
  Col,
  DatePicker,
  Divider,
  Drawer,
  Form,
  Input,
  Row,
  Select,
  Space,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CONSENT_VERSION,
  GENDERS,
  PERSON_CATEGORIES,
  POLITICAL_STATUSES,
  PRIVACY_NOTICE,
  YOUTH_MIN_AGE,
} from '../../../../domain/person.ts';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.tsx';
import { useApiError } from '../../components/useApiError.ts';
import { api } from '../../lib/api.ts';
import { currentLang } from '../../lib/i18n.ts';
import { type Person, type PersonWriteResult, peopleKeys } from './api.ts';
import { applyFieldErrors } from './fieldErrors.ts';
import { GridSelect } from './GridSelect.tsx';

type Values = {
  name: string;
  gender?: 'male' | 'female' | null;
  birthDate?: Dayjs | null;
  phone?: string;
  idNumber?: string;
  politicalStatus: string;
  category: string;
  skills: string[];
  homeGridId?: number | null;
  circleGridIds: number[];
  branchOrgId?: number | null;
  backbone: boolean;
  reserveBackbone: boolean;
  consent: boolean;
  consentChannel: 'paper' | 'online';
  guardianConsent?: { guardianName?: string; relation?: string };
};

/** Age on today from a birth date or, failing that, the birth date inside an 18-digit ID number. */
function ageOf(birthDate: Dayjs | null | undefined, idNumber: string | undefined): number | null {
  let birth = birthDate ?? null;
  const id = idNumber?.replace(/\s/g, '');
  if (!birth && id && /^\d{17}[\dXx]$/.test(id)) {
    const d = dayjs(`${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`, 'YYYY-MM-DD', true);
    if (d.isValid()) birth = d;
  }
  return birth ? dayjs().diff(birth, 'year') : null;
}

const blank = (s: string | null | undefined) => (s?.trim() ? s.trim() : null);

/** 新增/编辑青年 staff entry of a person; a known ID or phone updates that person, a conflict goes to review. */
export function PersonFormDrawer({
  person,
  onClose,
  onSaved,
}: {
  person: Person | null;
  onClose: () => void;
  onSaved: (personId: number | null) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const { message, modal } = App.useApp();
  const showError = useApiError();
  const client = useQueryClient();
  const [saving, setSaving] = useState(false);
  const birthDate = Form.useWatch('birthDate', form);
  const idNumber = Form.useWatch('idNumber', form);
  const age = ageOf(birthDate, idNumber) ?? person?.age ?? null;
  const needsGuardian = age !== null && age < YOUTH_MIN_AGE;

  const initialValues = useMemo<Partial<Values>>(
    () =>
      person
        ? {
            name: person.name,
            gender: person.gender,
            birthDate: person.birthDate ? dayjs(person.birthDate) : null,
            politicalStatus: person.politicalStatus,
            category: person.category,
            skills: person.skills,
            homeGridId: person.homeGrid?.id ?? null,
            circleGridIds: person.circles.map((c) => c.id),
            branchOrgId: person.branchOrg?.id ?? null,
            backbone: person.backbone,
            reserveBackbone: person.reserveBackbone,
            consent: true,
            consentChannel: 'paper',
            guardianConsent: person.guardianConsent
              ? { guardianName: person.guardianConsent.guardianName, relation: person.guardianConsent.relation }
              : undefined,
          }
        : {
            politicalStatus: 'masses',
            category: 'other',
            skills: [],
            circleGridIds: [],
            backbone: false,
            reserveBackbone: false,
            consent: false,
            consentChannel: 'paper',
          },
    [person],
  );

  const bodyOf = (v: Values) => {
    const guardian =
      needsGuardian && blank(v.guardianConsent?.guardianName)
        ? { guardianName: blank(v.guardianConsent?.guardianName)!, relation: blank(v.guardianConsent?.relation) ?? '' }
        : null;
    return {
      name: v.name.trim(),
      gender: v.gender ?? null,
      birthDate: v.birthDate ? v.birthDate.format('YYYY-MM-DD') : null,
      phone: blank(v.phone),
      idNumber: blank(v.idNumber),
      politicalStatus: v.politicalStatus,
      category: v.category,
      skills: (v.skills ?? []).map((s) => s.trim()).filter(Boolean),
      homeGridId: v.homeGridId ?? null,
      circleGridIds: v.circleGridIds ?? [],
      branchOrgId: v.branchOrgId ?? null,
      backbone: !!v.backbone,
      reserveBackbone: !!v.reserveBackbone,
      guardianConsent: guardian,
    };
  };

  const submit = async (v: Values) => {
    setSaving(true);
    const body = bodyOf(v);
    try {
      if (person) {
        // Only what changed; blank identifiers keep the stored (masked) ones.
        const patch: Record<string, unknown> = {};
        const before = bodyOf({ ...(initialValues as Values), phone: '', idNumber: '' });
        for (const [key, value] of Object.entries(body)) {
          if (key === 'phone' || key === 'idNumber') {
            if (value) patch[key] = value;
          } else if (JSON.stringify(value) !== JSON.stringify(before[key as keyof typeof before])) patch[key] = value;
        }
        if (patch.idNumber && !('birthDate' in patch)) patch.birthDate = null;
        await api<Person>('PATCH', `/api/people/${person.id}`, { body: patch });
        await client.invalidateQueries({ queryKey: peopleKeys.all });
        message.success(t('people.form.updated', { name: body.name }));
        onSaved(person.id);
      } else {
        const result = await api<PersonWriteResult>('POST', '/api/people', {
          body: { ...body, consent: { version: CONSENT_VERSION, channel: v.consentChannel } },
        });
        await client.invalidateQueries({ queryKey: peopleKeys.all });
        if (result.outcome === 'review') {
          modal.warning({ title: t('people.outcome.review'), content: t('people.outcome.reviewHint') });
        } else {
          message.success(t(`people.outcome.${result.outcome}`, { name: result.person?.name ?? body.name }));
        }
        onSaved(result.person?.id ?? null);
      }
    } catch (error) {
      showError(error);
      applyFieldErrors(form, error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Drawer
      open
      width="min(760px, 100vw)"
      title={person ? t('people.form.editTitle', { name: person.name }) : t('people.form.createTitle')}
      onClose={onClose}
      destroyOnClose
      data-testid="person-form"
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="person-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={(v) => void submit(v)}
        requiredMark="optional"
        scrollToFirstError
      >
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="name"
              label={t('people.field.name')}
              rules={[{ required: true, whitespace: true, message: t('people.form.required') }, { max: 50 }]}
            >
              <Input data-testid="person-name" autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="gender" label={t('people.field.gender')}>
              <Select
                allowClear
                data-testid="person-gender"
                options={GENDERS.map((g) => ({ value: g, label: t(`people.gender.${g}`) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="phone"
              label={t('people.field.phone')}
              extra={person?.phone ? t('people.form.keepMasked', { value: person.phone }) : undefined}
            >
              <Input data-testid="person-phone" inputMode="tel" autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="idNumber"
              label={t('people.field.idNumber')}
              extra={person?.idNumber ? t('people.form.keepMasked', { value: person.idNumber }) : undefined}
            >
              <Input data-testid="person-id-number" autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="birthDate" label={t('people.field.birthDate')} extra={t('people.form.birthDateHint')}>
              <DatePicker
                style={{ width: '100%' }}
                data-testid="person-birth-date"
                disabledDate={(d) => d.isAfter(dayjs())}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="politicalStatus" label={t('people.field.politicalStatus')} rules={[{ required: true }]}>
              <Select
                data-testid="person-political-status"
                options={POLITICAL_STATUSES.map((s) => ({ value: s, label: t(`people.political.${s}`) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="category" label={t('people.field.category')} rules={[{ required: true }]}>
              <Select
                data-testid="person-category"
                options={PERSON_CATEGORIES.map((c) => ({ value: c, label: t(`people.category.${c}`) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="skills" label={t('people.field.skills')}>
              <Select mode="tags" tokenSeparators={[',', '，', '、']} open={false} data-testid="person-skills" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="homeGridId" label={t('people.field.homeGrid')} tooltip={t('people.form.placeHint')}>
              <GridSelect
                kind="grids"
                initial={person?.homeGrid ? [person.homeGrid] : undefined}
                data-testid="person-home-grid"
                style={{ width: '100%' }}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="branchOrgId" label={t('people.field.branchOrg')} tooltip={t('people.form.placeHint')}>
              <OrgTreeSelect allowClear data-testid="person-branch" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="circleGridIds" label={t('people.field.circles')}>
              <GridSelect
                multiple
                kind="circles"
                initial={person?.circles}
                placeholder={t('people.form.circlePlaceholder')}
                data-testid="person-circles"
                style={{ width: '100%' }}
              />
            </Form.Item>
          </Col>
          <Col xs={12}>
            <Form.Item name="backbone" valuePropName="checked">
              <Checkbox data-testid="person-backbone">{t('people.field.backbone')}</Checkbox>
            </Form.Item>
          </Col>
          <Col xs={12}>
            <Form.Item name="reserveBackbone" valuePropName="checked">
              <Checkbox data-testid="person-reserve-backbone">{t('people.field.reserveBackbone')}</Checkbox>
            </Form.Item>
          </Col>
        </Row>
        {needsGuardian && (
          <>
            <Divider orientation="left" plain style={{ margin: '4px 0 12px' }}>
              {t('people.field.guardianConsent')}
            </Divider>
            <Typography.Paragraph type="warning">
              {t('people.form.guardianHint', { age: YOUTH_MIN_AGE })}
            </Typography.Paragraph>
            <Row gutter={12}>
              <Col xs={24} sm={12}>
                <Form.Item
                  name={['guardianConsent', 'guardianName']}
                  label={t('people.field.guardianName')}
                  rules={[{ required: true, whitespace: true, message: t('people.form.required') }]}
                >
                  <Input data-testid="person-guardian-name" />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item
                  name={['guardianConsent', 'relation']}
                  label={t('people.field.guardianRelation')}
                  rules={[{ required: true, whitespace: true, message: t('people.form.required') }]}
                >
                  <Input data-testid="person-guardian-relation" placeholder={t('people.form.relationPlaceholder')} />
                </Form.Item>
              </Col>
            </Row>
          </>
        )}
        {!person && (
          <>
            <Divider orientation="left" plain style={{ margin: '4px 0 12px' }}>
              {t('people.field.consent')}
            </Divider>
            <Typography.Paragraph type="secondary" style={{ fontSize: 13 }} data-testid="person-privacy-notice">
              {PRIVACY_NOTICE[currentLang()]}
            </Typography.Paragraph>
            <Space wrap align="start">
              <Form.Item
                name="consent"
                valuePropName="checked"
                rules={[
                  {
                    validator: (_, value) =>
                      value ? Promise.resolve() : Promise.reject(new Error(t('people.form.consentRequired'))),
                  },
                ]}
              >
                <Checkbox data-testid="person-consent">
                  {t('people.form.consent', { version: CONSENT_VERSION })}
                </Checkbox>
              </Form.Item>
              <Form.Item name="consentChannel" label={t('people.field.consentChannel')} style={{ minWidth: 160 }}>
                <Select
                  data-testid="person-consent-channel"
                  options={(['paper', 'online'] as const).map((c) => ({ value: c, label: t(`people.channel.${c}`) }))}
                />
              </Form.Item>
            </Space>
          </>
        )}
      </Form>
    </Drawer>
  );
}
