import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('./web', import.meta.url));

/** The web console: sources in web/, built into web/dist (served by the API server in production). */
export default defineConfig({
  root,
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic' } },
  server: {
    port: 5173,
    proxy: { '/api': { target: process.env.JINGWEI_API ?? 'http://localhost:3000', changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // bench/web.ts reads the first-load chunks of each route from it
    manifest: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      // antd, react-router and react-query mark modules "use client"; meaningless in a browser bundle
      onLog(level, log, handler) {
        if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
        handler(level, log);
      },
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom)[\\/]/ },
            // antd is NOT one group: split by use, a page downloads only the components it renders (issue 10:
            // one antd chunk put 363 KB gzip on every first load)
            // only the results page draws charts: keep ECharts out of the bundle every page loads
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender|echarts-for-react|size-sensor)[\\/]/ },
          ],
        },
      },
    },
  },
});
