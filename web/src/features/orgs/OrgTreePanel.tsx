import { SearchOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, Input, Space, Spin, Tree, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrgTreeNode } from '../../../../domain/org.ts';
import { ancestorsOf, type OrgIndex, useOrgSearch } from './api.ts';
import { OrgTitle } from './OrgTitle.tsx';

type TreeItem = { key: number; node: OrgTreeNode; children?: TreeItem[]; isLeaf?: boolean };

const SEARCH_PAGE = 200;
/** Above this many orgs the tree is virtualised; below it every expanded node stays in the DOM. */
const VIRTUAL_FROM = 1500;

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

function useTreeHeight(): number {
  const [height, setHeight] = useState(() => Math.max(320, window.innerHeight - 260));
  useEffect(() => {
    const onResize = () => setHeight(Math.max(320, window.innerHeight - 260));
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return height;
}

type Props = {
  roots: OrgTreeNode[];
  total: number;
  index: OrgIndex;
  loading: boolean;
  selectedId: number | null;
  onSelect: (id: number) => void;
  /** Ids to make visible (expand their ancestors), e.g. after creating or moving an org. */
  reveal: number | null;
};

/**
 * The org tree, virtualised for thousands of nodes. The search box asks the server (/api/orgs?q=),
 * so pinyin and pinyin initials work, and the tree is cut down to the matches and their ancestors.
 */
export function OrgTreePanel({ roots, total, index, loading, selectedId, onSelect, reveal }: Props) {
  const { t } = useTranslation();
  const height = useTreeHeight();
  const [q, setQ] = useState('');
  const query = useDebounced(q.trim(), 300);
  const search = useOrgSearch({ q: query, active: 'all', pageSize: SEARCH_PAGE }, query.length > 0);
  const [expanded, setExpanded] = useState<number[]>([]);
  const treeRef = useRef<{ scrollTo: (arg: { key: number; align?: 'top' | 'bottom' | 'auto' }) => void } | null>(null);

  // open the roots and their first level once the tree arrives
  const initialised = useRef(false);
  useEffect(() => {
    if (initialised.current || roots.length === 0) return;
    initialised.current = true;
    setExpanded(roots.flatMap((r) => [r.id, ...r.children.filter((c) => c.children.length > 0).map((c) => c.id)]));
  }, [roots]);

  useEffect(() => {
    if (reveal === null) return;
    const path = ancestorsOf(index, reveal).slice(1);
    setExpanded((keys) => [...new Set([...keys, ...path])]);
    const timer = setTimeout(() => {
      const element = document.querySelector(`[data-testid="org-node-${reveal}"]`);
      if (element) element.scrollIntoView({ block: 'nearest' });
      else treeRef.current?.scrollTo({ key: reveal, align: 'auto' });
    }, 50);
    return () => clearTimeout(timer);
  }, [reveal, index]);

  const virtual = index.order.length > VIRTUAL_FROM;
  const searching = query.length > 0 && search.data !== undefined;
  const matches = useMemo(() => {
    if (!searching) return null;
    return new Set(search.data.items.map((o) => o.id).filter((id) => index.byId.has(id)));
  }, [searching, search.data, index]);

  const { treeData, searchExpanded } = useMemo(() => {
    let visible: Set<number> | null = null;
    if (matches) {
      visible = new Set();
      for (const id of matches) for (const a of ancestorsOf(index, id)) visible.add(a);
    }
    const openKeys: number[] = [];
    const convert = (node: OrgTreeNode): TreeItem | null => {
      if (visible && !visible.has(node.id)) return null;
      const children = node.children.map(convert).filter((c): c is TreeItem => c !== null);
      if (visible && children.length > 0) openKeys.push(node.id);
      return { key: node.id, node, children, isLeaf: children.length === 0 };
    };
    return {
      treeData: roots.map(convert).filter((c): c is TreeItem => c !== null),
      searchExpanded: openKeys,
    };
  }, [roots, matches, index]);

  return (
    <Card
      title={t('orgs.treeTitle')}
      size="small"
      extra={
        <Space size={4}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('orgs.nodes', { total })}
          </Typography.Text>
          <Button size="small" type="link" onClick={() => setExpanded(roots.map((r) => r.id))} disabled={!!matches}>
            {t('orgs.collapseAll')}
          </Button>
        </Space>
      }
      styles={{ body: { padding: 8 } }}
    >
      <Input
        allowClear
        prefix={search.isFetching ? <Spin size="small" /> : <SearchOutlined />}
        placeholder={t('orgs.search')}
        value={q}
        onChange={(e) => setQ(e.target.value)}
        data-testid="org-search"
        style={{ marginBottom: 8 }}
      />
      {matches && search.data && (
        <Alert
          style={{ marginBottom: 8, padding: '2px 8px' }}
          type={matches.size === 0 ? 'warning' : 'info'}
          message={
            matches.size === 0
              ? t('orgs.searchNone')
              : search.data.total > search.data.items.length
                ? t('orgs.searchTruncated', { total: search.data.total, count: search.data.items.length })
                : t('orgs.searchResult', { count: search.data.total })
          }
        />
      )}
      <div data-testid="org-tree" style={virtual ? undefined : { maxHeight: height, overflow: 'auto' }}>
        {loading ? (
          <Spin style={{ display: 'block', margin: '48px auto' }} />
        ) : treeData.length === 0 ? (
          <Empty description={matches ? t('orgs.searchNone') : t('orgs.treeEmpty')} />
        ) : (
          <Tree<TreeItem>
            ref={treeRef as never}
            virtual={virtual}
            height={virtual ? height : undefined}
            blockNode
            showLine={{ showLeafIcon: false }}
            treeData={treeData}
            expandedKeys={matches ? searchExpanded : expanded}
            onExpand={(keys) => {
              if (!matches) setExpanded(keys as number[]);
            }}
            selectedKeys={selectedId === null ? [] : [selectedId]}
            onSelect={(_, info) => onSelect(info.node.key)}
            titleRender={(item) => <OrgTitle node={item.node} highlight={matches?.has(item.key) ?? false} />}
          />
        )}
      </div>
    </Card>
  );
}
