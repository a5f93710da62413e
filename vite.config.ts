import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('./web', import.meta.url));

/**
 * Writes a .br and a .gz beside every text asset of the build, once, so the server sends them as they are
 * (@fastify/static `preCompressed`) instead of compressing on each request or not at all (issue 10: the phone
 * page downloaded 1.3 MB of uncompressed script over a simulated 4G line).
 */
function precompress(): Plugin {
  return {
    name: 'jingwei-precompress',
    apply: 'build',
    writeBundle(options) {
      const dir = options.dir!;
      const walk = (d: string): string[] =>
        fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => {
          const f = path.join(d, e.name);
          return e.isDirectory() ? walk(f) : [f];
        });
      for (const file of walk(dir)) {
        if (!/\.(js|css|html|svg|json)$/.test(file) || file.includes(`${path.sep}.vite${path.sep}`)) continue;
        const data = fs.readFileSync(file);
        if (data.length < 1024) continue;
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(data, { level: 9 }));
        fs.writeFileSync(
          `${file}.br`,
          zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }),
        );
      }
    },
  };
}

/**
 * The dev server answers /r/:token with phone.html, as server/app.ts does in production: the registration page is
 * its own light entry (web/src/phone), not a route of the console.
 */
function phonePages(): Plugin {
  return {
    name: 'jingwei-phone-pages',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        if (req.method === 'GET' && req.url && /^\/r\/[^/?#]+\/?(\?.*)?$/.test(req.url)) req.url = '/phone.html';
        next();
      });
    },
  };
}

/**
 * The web console (index.html) and the light phone registration page (phone.html): sources in web/, built into
 * web/dist (served by the API server in production).
 */
export default defineConfig({
  root,
  publicDir: false,
  plugins: [precompress(), phonePages()],
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
      // the console and the phone registration page (/r/:token, issue 10: < 150 KB gzip, no antd)
      input: { index: path.join(root, 'index.html'), phone: path.join(root, 'phone.html') },
      // antd, react-router and react-query mark modules "use client"; meaningless in a browser bundle
      onLog(level, log, handler) {
        if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
        handler(level, log);
      },
      output: {
        codeSplitting: {
          groups: [
            // React alone: the phone entry loads it without the router
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: 'router', test: /node_modules[\\/](react-router|react-router-dom)[\\/]/ },
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
