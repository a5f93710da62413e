import type { ThemeConfig } from 'antd';

/**
 * The console's antd theme. Shared by the app (providers.tsx) and the build (antd-static-style.ts renders the
 * first screen's components with it): the static stylesheet only replaces the runtime styles if both hash the
 * same theme.
 */
export const THEME: ThemeConfig = { token: { colorPrimary: '#c8161d', borderRadius: 6 } };
