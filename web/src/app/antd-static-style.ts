/**
 * Build time only (vite.config.ts, Node): antd's styles of the console's first screen as one static stylesheet.
 *
 * antd 5 writes its CSS at run time (CSS-in-JS): the first render of each component type builds its style
 * object, serialises it and inserts a <style>. On the dashboard's first paint that was the largest single cost on
 * the main thread (issue 10: ~35 % of the longest task on a throttled phone CPU). Here the components of the
 * layout, the auth gate and the dashboard are rendered once on the server side with the console's theme, and
 * @ant-design/cssinjs's `extractStyle` returns their CSS plus a map of the style paths it holds
 * (`.data-ant-cssinjs-cache-path{content:…}`); with that stylesheet loaded, antd finds each of those styles
 * already present and neither builds nor inserts them (antd's documented static extraction for SSR). Components
 * not rendered here keep styling themselves at run time, as before; a path that does not match (another antd
 * version, another theme) simply falls back to that.
 */
import { createRequire } from 'node:module';
import type * as AntdIcons from '@ant-design/icons';
import type * as Antd from 'antd';
import type * as ReactNS from 'react';
import type * as ReactDomServer from 'react-dom/server';
import { THEME } from './theme.ts';

export function antdFirstScreenCss(): string {
  // antd names its classes differently outside production (`css-dev-only-do-not-override-…`): the build's
  // stylesheet must carry the production names, and React and antd read NODE_ENV when they are loaded
  if (process.env.NODE_ENV !== 'production') throw new Error('antdFirstScreenCss: NODE_ENV must be production');
  // antd's CommonJS build, with the same @ant-design/cssinjs instance (and cache) it uses itself
  const require = createRequire(import.meta.url);
  const React: typeof ReactNS = require('react');
  const { renderToString }: typeof ReactDomServer = require('react-dom/server');
  const antd: typeof Antd = require('antd');
  const icons: typeof AntdIcons = require('@ant-design/icons');
  const cssinjs: typeof import('@ant-design/cssinjs') = require('@ant-design/cssinjs');
  const h = React.createElement;
  const { Layout, Menu, Button, Card, Col, Empty, Row, Skeleton, Space, Spin, Statistic, Tag, Tooltip, Typography } =
    antd;
  const icon = h(icons.DashboardOutlined);

  // What the first screen renders: AppLayout (sider, menu, header bar), AuthGate (spinner), DashboardPage
  const screen = h(
    Layout,
    null,
    h(
      Layout.Sider,
      { breakpoint: 'lg', collapsible: true, collapsedWidth: 0 },
      h(Menu, {
        theme: 'dark',
        mode: 'inline',
        items: [{ type: 'group', key: 'g', label: 'g', children: [{ key: 'a', icon, label: 'a' }] }],
      }),
    ),
    h(
      Layout,
      null,
      h(
        Layout.Header,
        null,
        h(
          Space,
          { size: 'small' },
          h(Tag, { color: 'red' }, 't'),
          h(Typography.Text, { strong: true }, 't'),
          h(Typography.Text, { type: 'secondary' }, 't'),
          h(Tooltip, { title: 't' }, h(Button, { type: 'text', icon }, 't')),
        ),
      ),
      h(
        Layout.Content,
        null,
        h(Spin, { size: 'large' }),
        h(
          Card,
          { title: 't', extra: h(Button, { icon }, 't') },
          h(Typography.Title, { level: 3 }, 't'),
          h(Skeleton, { active: true, title: false, paragraph: { rows: 4 } }),
          h(Skeleton, { active: true }),
          h(
            Row,
            { gutter: [16, 16] },
            h(Col, { xs: 12, sm: 8, md: 6, lg: 4 }, h(Statistic, { title: 't', value: 1, suffix: '%' })),
          ),
          h(Empty, { description: 't' }),
          h(Card, { size: 'small', hoverable: true }, h(Card.Meta, { avatar: icon, title: 't', description: 't' })),
          h(Button, { type: 'primary' }, 't'),
        ),
      ),
    ),
  );
  const cache = cssinjs.createCache();
  renderToString(
    h(cssinjs.StyleProvider, { cache }, h(antd.ConfigProvider, { theme: THEME }, h(antd.App, null, screen))),
  );
  return cssinjs.extractStyle(cache, { plain: true, types: 'style' });
}
