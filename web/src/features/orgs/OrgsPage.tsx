import {
  ApartmentOutlined,
  DragOutlined,
  EditOutlined,
  PlusOutlined,
  PoweroffOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Descriptions, Empty, Result, Row, Space, Spin, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { canPlaceUnder, ORG_KINDS, type Org } from '../../../../domain/org.ts';
import { useApiError } from '../../components/useApiError.ts';
import { api } from '../../lib/api.ts';
import { formatTime } from '../../lib/i18n.ts';
import { useCan } from '../auth/session.ts';
import { indexTree, type OrgIndex, orgKeys, useAllianceMembers, useOrg, useOrgTree } from './api.ts';
import { AllianceMembersModal, OrgCreateModal, OrgEditModal, OrgMoveModal } from './OrgModals.tsx';
import { formatCounts } from './OrgTitle.tsx';
import { OrgTreePanel } from './OrgTreePanel.tsx';

/** 组织网络: the org tree on the left, the selected org with its actions on the right. */
export function OrgsPage() {
  const { t } = useTranslation();
  const tree = useOrgTree();
  const [params, setParams] = useSearchParams();
  const [reveal, setReveal] = useState<number | null>(null);
  const roots = tree.data?.roots ?? [];
  const index = useMemo(() => indexTree(roots), [roots]);

  const requested = Number(params.get('org'));
  const selectedId = Number.isInteger(requested) && requested > 0 ? requested : (roots[0]?.id ?? null);

  // a deep link (?org=id) opens the tree down to that org once the tree is there
  const revealedLink = useRef(false);
  useEffect(() => {
    if (revealedLink.current || roots.length === 0) return;
    revealedLink.current = true;
    if (selectedId !== null) setReveal(selectedId);
  }, [roots, selectedId]);
  const select = (id: number, show = false) => {
    setParams(
      (p) => {
        p.set('org', String(id));
        return p;
      },
      { replace: true },
    );
    if (show) setReveal(id);
  };

  if (tree.isError) {
    return <Result status="error" title={t('error.loadFailed')} subTitle={tree.error.message} />;
  }

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={12} xl={11}>
        <OrgTreePanel
          roots={roots}
          total={tree.data?.total ?? 0}
          index={index}
          loading={tree.isPending}
          selectedId={selectedId}
          onSelect={(id) => select(id)}
          reveal={reveal}
        />
      </Col>
      <Col xs={24} lg={12} xl={13}>
        {selectedId === null ? (
          <Card>
            <Empty description={tree.isPending ? t('common.loading') : t('orgs.selectHint')} />
          </Card>
        ) : (
          <OrgDetail key={selectedId} id={selectedId} index={index} onSelect={select} />
        )}
      </Col>
    </Row>
  );
}

type ModalKind = 'edit' | 'create' | 'move' | 'members' | null;

function OrgDetail({
  id,
  index,
  onSelect,
}: {
  id: number;
  index: OrgIndex;
  onSelect: (id: number, show?: boolean) => void;
}) {
  const { t } = useTranslation();
  const org = useOrg(id);
  const canWrite = useCan('org.write');
  const [modal, setModal] = useState<ModalKind>(null);
  const { message } = App.useApp();
  const showError = useApiError();
  const client = useQueryClient();
  const [toggling, setToggling] = useState(false);
  const isAlliance = org.data?.kind === 'alliance';
  const members = useAllianceMembers(id, isAlliance);

  if (org.isPending) {
    return (
      <Card>
        <Spin style={{ display: 'block', margin: '48px auto' }} />
      </Card>
    );
  }
  if (org.isError) {
    return (
      <Card>
        <Result status="warning" title={org.error.message} />
      </Card>
    );
  }
  const data = org.data;
  const node = index.byId.get(id);
  const parent = data.parentId === null ? undefined : index.byId.get(data.parentId);
  const isRoot = data.parentId === null;
  const canHaveChildren = ORG_KINDS.some((k) => canPlaceUnder(k, data.kind));

  const toggleActive = async () => {
    setToggling(true);
    try {
      if (data.active) await api('DELETE', `/api/orgs/${data.id}`);
      else await api<Org>('PATCH', `/api/orgs/${data.id}`, { body: { active: true } });
      await client.invalidateQueries({ queryKey: orgKeys.all });
      message.success(t(data.active ? 'orgs.deactivated' : 'orgs.activated', { name: data.name }));
    } catch (error) {
      showError(error);
    } finally {
      setToggling(false);
    }
  };

  const rootTip = isRoot ? t('orgs.rootImmutable') : undefined;
  return (
    <Card
      data-testid="org-detail"
      title={
        <Space wrap>
          <ApartmentOutlined />
          <Typography.Text strong data-testid="org-detail-name">
            {data.name}
          </Typography.Text>
          <Tag color={data.hierarchical ? 'red' : 'geekblue'}>{t(`orgKind.${data.kind}`)}</Tag>
          {!data.hierarchical && <Tag color="purple">{t('orgs.nonHierarchical')}</Tag>}
          {!data.active && <Tag>{t('orgs.inactive')}</Tag>}
        </Space>
      }
    >
      {canWrite && (
        <Space wrap style={{ marginBottom: 16 }}>
          <Button icon={<EditOutlined />} onClick={() => setModal('edit')} data-testid="org-edit">
            {t('orgs.action.edit')}
          </Button>
          <Tooltip title={canHaveChildren ? undefined : t('orgs.noChildKinds')}>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setModal('create')}
              disabled={!canHaveChildren || !data.active}
              data-testid="org-create-child"
            >
              {t('orgs.action.createChild')}
            </Button>
          </Tooltip>
          <Tooltip title={rootTip}>
            <Button icon={<DragOutlined />} onClick={() => setModal('move')} disabled={isRoot} data-testid="org-move">
              {t('orgs.action.move')}
            </Button>
          </Tooltip>
          <Tooltip title={rootTip}>
            <Button
              danger={data.active}
              icon={<PoweroffOutlined />}
              loading={toggling}
              disabled={isRoot}
              onClick={() => void toggleActive()}
              data-testid="org-deactivate"
            >
              {data.active ? t('orgs.action.deactivate') : t('orgs.action.activate')}
            </Button>
          </Tooltip>
        </Space>
      )}
      <Descriptions
        column={{ xs: 1, sm: 1, md: 1, lg: 1, xl: 2, xxl: 2 }}
        size="small"
        bordered
        styles={{ label: { whiteSpace: 'nowrap' } }}
      >
        <Descriptions.Item label={t('orgs.field.name')} span={2}>
          {data.name}
        </Descriptions.Item>
        <Descriptions.Item label={t('orgs.field.kind')}>{t(`orgKind.${data.kind}`)}</Descriptions.Item>
        <Descriptions.Item label={t('orgs.field.structure')}>
          {data.hierarchical ? t('orgs.hierarchical') : t('orgs.nonHierarchical')}
        </Descriptions.Item>
        <Descriptions.Item label={t('orgs.field.parent')} span={2}>
          {parent ? (
            <Typography.Link onClick={() => onSelect(parent.id, true)} data-testid="org-detail-parent">
              {parent.name}
            </Typography.Link>
          ) : (
            t('common.empty')
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('orgs.field.secretaryName')}>
          {data.secretaryName || t('common.empty')}
        </Descriptions.Item>
        <Descriptions.Item label={t('orgs.field.contact')}>{data.contact || t('common.empty')}</Descriptions.Item>
        <Descriptions.Item label={t('orgs.field.description')} span={2}>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
            {data.description || t('common.empty')}
          </Typography.Paragraph>
        </Descriptions.Item>
        <Descriptions.Item label={t('orgs.field.rollup')} span={2}>
          {node ? formatCounts(node.counts, t) : t('common.empty')}
        </Descriptions.Item>
        <Descriptions.Item label={t('orgs.field.status')}>
          {data.active ? <Tag color="green">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>}
        </Descriptions.Item>
        <Descriptions.Item label={t('orgs.field.updatedAt')}>{formatTime(data.updatedAt)}</Descriptions.Item>
      </Descriptions>

      {isAlliance && (
        <Card
          size="small"
          type="inner"
          style={{ marginTop: 16 }}
          title={
            <Space>
              <TeamOutlined />
              {t('orgs.alliance.title')}
            </Space>
          }
          extra={
            canWrite && (
              <Button
                size="small"
                onClick={() => setModal('members')}
                disabled={!members.data}
                data-testid="alliance-edit"
              >
                {t('orgs.alliance.edit')}
              </Button>
            )
          }
          data-testid="alliance-members"
        >
          {members.isPending ? (
            <Spin />
          ) : members.data?.items.length ? (
            <Space wrap>
              {members.data.items.map((m) => (
                <Tag key={m.id} style={{ cursor: 'pointer' }} onClick={() => onSelect(m.id, true)}>
                  {m.name} · {t(`orgKind.${m.kind}`)}
                </Tag>
              ))}
            </Space>
          ) : (
            <Typography.Text type="secondary">{t('orgs.alliance.none')}</Typography.Text>
          )}
        </Card>
      )}

      {modal === 'edit' && <OrgEditModal org={data} onClose={() => setModal(null)} />}
      {modal === 'create' && (
        <OrgCreateModal
          parent={data}
          onClose={() => setModal(null)}
          onCreated={(created) => onSelect(created.id, true)}
        />
      )}
      {modal === 'move' && (
        <OrgMoveModal
          org={data}
          index={index}
          onClose={() => setModal(null)}
          onMoved={(moved) => onSelect(moved.id, true)}
        />
      )}
      {modal === 'members' && members.data && (
        <AllianceMembersModal org={data} members={members.data.items} onClose={() => setModal(null)} />
      )}
    </Card>
  );
}
