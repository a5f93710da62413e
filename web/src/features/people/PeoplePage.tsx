import {
  AlertOutlined,
  AuditOutlined,
  CalendarOutlined,
  ContactsOutlined,
  DownloadOutlined,
  PlusOutlined,
  QrcodeOutlined,
  TeamOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import {
  Button,
  Card,
  Dropdown,
  Input,
  Result,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { PERSON_CATEGORIES, POLITICAL_STATUSES } from '../../../../domain/person.ts';
import { useDistrict } from '../../app/district.tsx';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.tsx';
import { toSearch } from '../../lib/api.ts';
import { useCan, useSession } from '../auth/session.ts';
import { useOrgTree } from '../orgs/api.ts';
import { type PeopleFilters, type Person, usePeopleList, useReviews } from './api.ts';
import { CadresPanel } from './CadresPanel.tsx';
import { GridSelect } from './GridSelect.tsx';
import { KeyYouthPanel } from './KeyYouthPanel.tsx';
import { PeopleImportModal } from './PeopleImportModal.tsx';
import { PersonDetailDrawer } from './PersonDetailDrawer.tsx';
import { PersonFormDrawer } from './PersonFormDrawer.tsx';
import { QrPanel } from './QrPanel.tsx';
import { ReviewsPanel } from './ReviewsPanel.tsx';
import { PersonFlags, StatusTag } from './tags.tsx';
import { VisitsPanel } from './VisitsPanel.tsx';

type View = 'list' | 'reviews' | 'key-youth' | 'qr' | 'cadres' | 'visits';

/** 青年库: the registry with filters, entry, detail, the review list, key youth, QR codes, import and export. */
export function PeoplePage() {
  const { t } = useTranslation();
  const { districtId, canChoose } = useDistrict();
  const canWrite = useCan('person.write');
  const canKeyYouth = useCan('person.key_youth');
  const canPii = useCan('person.pii');
  const me = useSession();
  const tree = useOrgTree();
  const [params, setParams] = useSearchParams();
  const views: View[] = [
    'list',
    ...(canWrite ? (['reviews'] as const) : []),
    ...(canKeyYouth ? (['key-youth'] as const) : []),
    ...(canWrite ? (['qr'] as const) : []),
    'cadres',
    'visits',
  ];
  const view: View = views.find((v) => v === params.get('view')) ?? 'list';
  const [filters, setFilters] = useState<PeopleFilters>({});
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const [qInput, setQInput] = useState('');
  const [detailId, setDetailId] = useState<number | null>(null);
  const [editing, setEditing] = useState<{ person: Person | null } | null>(null);
  const [importing, setImporting] = useState(false);
  const list = usePeopleList({ ...filters, ...paging });
  const openReviews = useReviews('open', canWrite);

  const setFilter = (patch: Partial<PeopleFilters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPaging((p) => ({ ...p, page: 1 }));
  };
  const setView = (v: string) =>
    setParams(
      (p) => {
        p.set('view', v);
        return p;
      },
      { replace: true },
    );
  // the export covers an org's subtree: the filtered org, else the caller's own (or the district's root)
  const exportOrgId = filters.orgId ?? me.account.orgId ?? tree.data?.roots[0]?.id;
  const exportHref = (unmasked: boolean) =>
    `/api/people/export.xlsx${toSearch({ orgId: exportOrgId, unmasked: unmasked ? 'true' : undefined })}`;
  const templateHref = '/api/people/import-template.xlsx';

  const columns: TableColumnsType<Person> = [
    {
      title: t('people.field.name'),
      dataIndex: 'name',
      width: 180,
      render: (v: string, p) => (
        <Space size={4} wrap>
          <Typography.Link onClick={() => setDetailId(p.id)} data-testid={`person-open-${p.id}`}>
            {v}
          </Typography.Link>
          <PersonFlags person={p} />
        </Space>
      ),
    },
    {
      title: t('people.field.gender'),
      dataIndex: 'gender',
      width: 80,
      render: (g: Person['gender']) => (g ? t(`people.gender.${g}`) : t('common.empty')),
    },
    {
      title: t('people.field.age'),
      dataIndex: 'age',
      width: 60,
      align: 'right',
      render: (a) => a ?? t('common.empty'),
    },
    {
      title: t('people.field.phone'),
      dataIndex: 'phone',
      width: 130,
      render: (v: string | null) => <span data-testid="person-phone-masked">{v ?? t('common.empty')}</span>,
    },
    {
      title: t('people.field.idNumber'),
      dataIndex: 'idNumber',
      width: 190,
      render: (v: string | null) => v ?? t('common.empty'),
    },
    {
      title: t('people.field.politicalStatus'),
      dataIndex: 'politicalStatus',
      width: 120,
      render: (s: Person['politicalStatus']) => t(`people.political.${s}`),
    },
    {
      title: t('people.field.category'),
      dataIndex: 'category',
      width: 120,
      render: (c: Person['category']) => t(`people.category.${c}`),
    },
    {
      title: t('people.field.homeGrid'),
      width: 160,
      ellipsis: true,
      render: (_, p) => p.homeGrid?.name ?? p.branchOrg?.name ?? t('common.empty'),
    },
    { title: t('people.field.org'), ellipsis: true, render: (_, p) => p.org.name },
    {
      title: t('people.field.source'),
      dataIndex: 'source',
      width: 80,
      render: (s: Person['source']) => <Tag>{t(`people.source.${s}`)}</Tag>,
    },
    { title: t('people.field.status'), width: 90, render: (_, p) => <StatusTag person={p} /> },
  ];

  if (canChoose && districtId === undefined) {
    return <Result status="info" title={t('header.districtPlaceholder')} />;
  }

  const reviewCount = openReviews.data?.total ?? 0;
  return (
    <Card
      title={t('people.title')}
      extra={
        <Space wrap>
          {canWrite && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setEditing({ person: null })}
              data-testid="people-create"
            >
              {t('people.action.create')}
            </Button>
          )}
          {canWrite && (
            <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="people-import">
              {t('people.action.import')}
            </Button>
          )}
          {canPii ? (
            <Dropdown.Button
              href={exportHref(false)}
              disabled={!exportOrgId}
              menu={{
                items: [
                  {
                    key: 'unmasked',
                    label: (
                      <a href={exportHref(true)} download data-testid="people-export-unmasked">
                        {t('people.action.exportUnmasked')}
                      </a>
                    ),
                  },
                ],
              }}
              data-testid="people-export"
            >
              <DownloadOutlined /> {filters.orgId ? t('people.action.exportOrg') : t('people.action.export')}
            </Dropdown.Button>
          ) : (
            <Button
              icon={<DownloadOutlined />}
              href={exportHref(false)}
              disabled={!exportOrgId}
              download
              data-testid="people-export"
            >
              {filters.orgId ? t('people.action.exportOrg') : t('people.action.export')}
            </Button>
          )}
          {canWrite && (
            <Button type="link" href={templateHref} download data-testid="people-template">
              {t('people.action.template')}
            </Button>
          )}
        </Space>
      }
    >
      <Tabs
        activeKey={view}
        onChange={setView}
        destroyInactiveTabPane
        items={[
          {
            key: 'list',
            label: (
              <span data-testid="people-tab-list">
                <TeamOutlined /> {t('people.tab.list')}
              </span>
            ),
            children: (
              <>
                <Space wrap style={{ marginBottom: 12 }}>
                  <OrgTreeSelect
                    value={filters.orgId}
                    onChange={(v) => setFilter({ orgId: v })}
                    placeholder={t('people.filter.org')}
                    allowClear
                    style={{ width: 220 }}
                    data-testid="people-filter-org"
                  />
                  <GridSelect
                    kind="any"
                    value={filters.gridId}
                    onChange={(v) => setFilter({ gridId: v })}
                    placeholder={t('people.filter.grid')}
                    style={{ width: 200 }}
                    data-testid="people-filter-grid"
                  />
                  <Select
                    value={filters.status}
                    onChange={(v) => setFilter({ status: v })}
                    placeholder={t('people.filter.status')}
                    allowClear
                    style={{ width: 120 }}
                    options={(['pending', 'registered', 'inactive'] as const).map((s) => ({
                      value: s,
                      label: t(`people.status.${s}`),
                    }))}
                    data-testid="people-filter-status"
                  />
                  <Select
                    value={filters.category}
                    onChange={(v) => setFilter({ category: v })}
                    placeholder={t('people.filter.category')}
                    allowClear
                    style={{ width: 150 }}
                    options={PERSON_CATEGORIES.map((c) => ({ value: c, label: t(`people.category.${c}`) }))}
                    data-testid="people-filter-category"
                  />
                  <Select
                    value={filters.politicalStatus}
                    onChange={(v) => setFilter({ politicalStatus: v })}
                    placeholder={t('people.filter.politicalStatus')}
                    allowClear
                    style={{ width: 130 }}
                    options={POLITICAL_STATUSES.map((s) => ({ value: s, label: t(`people.political.${s}`) }))}
                    data-testid="people-filter-political"
                  />
                  <Select
                    value={
                      filters.backbone === 'true'
                        ? 'backbone'
                        : filters.reserveBackbone === 'true'
                          ? 'reserve'
                          : filters.leaveReview === 'true'
                            ? 'leave'
                            : undefined
                    }
                    onChange={(v?: string) =>
                      setFilter({
                        backbone: v === 'backbone' ? 'true' : undefined,
                        reserveBackbone: v === 'reserve' ? 'true' : undefined,
                        leaveReview: v === 'leave' ? 'true' : undefined,
                      })
                    }
                    placeholder={t('people.filter.flag')}
                    allowClear
                    style={{ width: 130 }}
                    options={[
                      { value: 'backbone', label: t('people.field.backbone') },
                      { value: 'reserve', label: t('people.field.reserveBackbone') },
                      { value: 'leave', label: t('people.leaveReview') },
                    ]}
                    data-testid="people-filter-flag"
                  />
                  <Input.Search
                    value={qInput}
                    onChange={(e) => setQInput(e.target.value)}
                    onSearch={(q) => setFilter({ q: q.trim() || undefined })}
                    placeholder={t('people.filter.q')}
                    allowClear
                    style={{ width: 200 }}
                    data-testid="people-search"
                  />
                </Space>
                <Table<Person>
                  rowKey="id"
                  size="middle"
                  loading={list.isFetching}
                  dataSource={list.data?.items ?? []}
                  columns={columns}
                  scroll={{ x: 1300 }}
                  onRow={(p) => ({ 'data-testid': `people-row-${p.id}` }) as React.HTMLAttributes<HTMLElement>}
                  pagination={{
                    current: paging.page,
                    pageSize: paging.pageSize,
                    total: list.data?.total ?? 0,
                    showSizeChanger: true,
                    pageSizeOptions: [20, 50, 100],
                    showTotal: (total) => t('common.total', { total }),
                    onChange: (page, pageSize) => setPaging({ page, pageSize }),
                  }}
                  data-testid="people-table"
                />
              </>
            ),
          },
          ...(canWrite
            ? [
                {
                  key: 'reviews',
                  label: (
                    <span data-testid="people-tab-reviews">
                      <AuditOutlined /> {t('people.tab.reviews')}
                      {reviewCount > 0 && (
                        <Tag color="orange" style={{ marginLeft: 6, marginRight: 0 }}>
                          {reviewCount}
                        </Tag>
                      )}
                    </span>
                  ),
                  children: <ReviewsPanel onOpenPerson={setDetailId} />,
                },
              ]
            : []),
          ...(canKeyYouth
            ? [
                {
                  key: 'key-youth',
                  label: (
                    <span data-testid="people-tab-key-youth">
                      <AlertOutlined /> {t('people.tab.keyYouth')}
                    </span>
                  ),
                  children: <KeyYouthPanel onOpenPerson={setDetailId} />,
                },
              ]
            : []),
          ...(canWrite
            ? [
                {
                  key: 'qr',
                  label: (
                    <span data-testid="people-tab-qr">
                      <QrcodeOutlined /> {t('people.tab.qr')}
                    </span>
                  ),
                  children: <QrPanel />,
                },
              ]
            : []),
          {
            key: 'cadres',
            label: (
              <span data-testid="people-tab-cadres">
                <ContactsOutlined /> {t('people.cadres.tab.cadres')}
              </span>
            ),
            children: <CadresPanel canWrite={canWrite} onOpenPerson={setDetailId} />,
          },
          {
            key: 'visits',
            label: (
              <span data-testid="people-tab-visits">
                <CalendarOutlined /> {t('people.cadres.tab.visits')}
              </span>
            ),
            children: <VisitsPanel canWrite={canWrite} />,
          },
        ]}
      />
      {detailId !== null && (
        <PersonDetailDrawer
          id={detailId}
          onClose={() => setDetailId(null)}
          onEdit={(person) => setEditing({ person })}
        />
      )}
      {editing && (
        <PersonFormDrawer
          person={editing.person}
          onClose={() => setEditing(null)}
          onSaved={(id) => {
            setEditing(null);
            setDetailId(id);
          }}
        />
      )}
      {importing && <PeopleImportModal defaultOrgId={filters.orgId} onClose={() => setImporting(false)} />}
    </Card>
  );
}
