import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { defineConfig, minifySync, type Plugin, transformWithOxc } from 'vite';
import { antdFirstScreenCss } from './web/src/app/antd-static-style.ts';

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
 * Lets the bundler drop the zod schemas of domain/ that the web does not use (issue 10, dashboard Lighthouse).
 * The web imports constants and pure rules from domain/ (`percent`, `ORDER_STATUSES`, `isCircleKind` …) and only
 * types otherwise; but every top-level `z.object(…).strict()` of those modules is a call, which the bundler must
 * assume has side effects, so importing one constant brought the module's every schema and zod itself (~26 KB gzip,
 * and their construction on the main thread). domain/ holds declarations only, so in the web build each top-level
 * `const X = <call>` of a domain module is marked pure (`/* @__PURE__ *\/ (() => (<call>))()`): kept when something
 * the web uses reads it, dropped otherwise. The server and the tests run domain/ untouched; the only behaviour an
 * unused schema loses is its registration in zod's global registry (`.meta`), which only the server's OpenAPI reads.
 */
function pureDomainDeclarations(): Plugin {
  const domainDir = fileURLToPath(new URL('./domain/', import.meta.url));
  type Node = { type: string; start: number; end: number; [key: string]: unknown };
  // Initialisers that are already side-effect free (or would not be made pure by wrapping them)
  const plain = new Set(['Literal', 'Identifier', 'ArrowFunctionExpression', 'FunctionExpression', 'ClassExpression']);
  return {
    name: 'jingwei-pure-domain-declarations',
    apply: 'build',
    enforce: 'post',
    transform: {
      filter: { id: /[\\/]domain[\\/][^?]*\.ts$/ },
      handler(code, id) {
        if (!id.startsWith(domainDir) || id.endsWith('.test.ts')) return null;
        const program = this.parse(code, { lang: 'ts' }) as unknown as { body: Node[] };
        const inits: Node[] = [];
        for (const statement of program.body) {
          const declaration =
            statement.type === 'ExportNamedDeclaration' ? (statement.declaration as Node | null) : statement;
          if (declaration?.type !== 'VariableDeclaration') continue;
          for (const d of declaration.declarations as { id: Node & { name?: string }; init: Node | null }[]) {
            if (!d.init || plain.has(d.init.type)) continue;
            // offsets must be UTF-16 (the sources hold Chinese text): a mismatch would corrupt the module
            if (d.id.type === 'Identifier' && code.slice(d.id.start, d.id.end) !== d.id.name)
              throw new Error(`${id}: unexpected AST offsets at ${d.id.name}`);
            inits.push(d.init);
          }
        }
        if (inits.length === 0) return null;
        let out = code;
        for (const init of inits.sort((a, b) => b.start - a.start)) {
          const expression = out.slice(init.start, init.end);
          out = `${out.slice(0, init.start)}/* @__PURE__ */ (() => (${expression}))()${out.slice(init.end)}`;
        }
        return { code: out, map: null };
      },
    },
  };
}

/**
 * `import 'virtual:antd-first-screen.css'` (web/src/main.tsx): in the build, antd's styles of the console's first
 * screen as a static stylesheet (web/src/app/antd-static-style.ts: antd then skips generating them on the main
 * thread); on the dev server an empty one (antd styles itself at run time, as always).
 */
function antdFirstScreenStyle(): Plugin {
  const id = 'virtual:antd-first-screen.css';
  let build = false;
  return {
    name: 'jingwei-antd-first-screen-style',
    configResolved(config) {
      build = config.command === 'build';
    },
    resolveId: (source) => (source === id ? `\0${id}` : null),
    load(loaded) {
      if (loaded !== `\0${id}`) return null;
      return build ? antdFirstScreenCss() : '';
    },
  };
}

/**
 * The console's stylesheet (antd's first-screen styles, ~17 KB brotli) goes at the end of <body> instead of in
 * <head>: a stylesheet in <head> holds back every paint, so the page stayed white until it had arrived, while
 * one after #root lets the loading shell of index.html paint at once. The module scripts still wait for it
 * (a parser-inserted stylesheet blocks scripts), so nothing renders unstyled.
 */
function stylesheetAfterShell(): Plugin {
  return {
    name: 'jingwei-stylesheet-after-shell',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        if (!ctx.filename.endsWith(`${path.sep}index.html`)) return html;
        const links = html.match(/\s*<link rel="stylesheet"[^>]*>/g) ?? [];
        if (links.length === 0) return html;
        let out = html;
        for (const link of links) out = out.replace(link, '');
        return out.replace('</body>', `${links.map((l) => `  ${l.trim()}`).join('\n')}\n  </body>`);
      },
    },
  };
}

/**
 * web/src/boot.ts as a script of its own (`<script async>`, < 1 KB, so it runs long before the console's modules
 * have downloaded): the session and the dashboard's figures are asked for at once, not after ~300 KB of modules
 * have downloaded and run (issue 10). main.tsx imports the same file: on the dev server that is what sends the
 * requests, and should the script ever run after the modules, it finds them already sent.
 */
function earlyRequests(): Plugin {
  const source = path.join(root, 'src', 'boot.ts');
  let fileName = '';
  let code = '';
  return {
    name: 'jingwei-early-requests',
    apply: 'build',
    async buildStart() {
      const js = (await transformWithOxc(fs.readFileSync(source, 'utf8'), source, { lang: 'ts' })).code;
      code = minifySync('boot.js', js).code;
      fileName = `assets/boot-${crypto.createHash('sha256').update(code).digest('hex').slice(0, 8)}.js`;
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName, source: code });
    },
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        if (!ctx.filename.endsWith(`${path.sep}index.html`)) return html;
        return html.replace(
          /(\s*)<script type="module"/,
          `$1<script async src="/${fileName}"></script>$1<script type="module"`,
        );
      },
    },
  };
}

/**
 * rc-field-form (antd's Form engine) has no side effects, but says nothing about it (no "sideEffects" in its
 * package.json), and its index assigns `Form.List = …` at the top: antd's form context imports one name from it for
 * a provider the console's first screen never renders, and so the whole engine with its validator (~90 KB
 * unminified) sat in every page's first download. Declared free of side effects, it is bundled only where a form
 * is used (issue 10).
 */
function sideEffectFreeFormEngine(): Plugin {
  return {
    name: 'jingwei-side-effect-free-form-engine',
    apply: 'build',
    transform: {
      filter: { id: /node_modules[\\/](rc-field-form|@rc-component[\\/]async-validator)[\\/]/ },
      handler: () => ({ moduleSideEffects: false }),
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
  plugins: [
    precompress(),
    phonePages(),
    pureDomainDeclarations(),
    antdFirstScreenStyle(),
    stylesheetAfterShell(),
    earlyRequests(),
    sideEffectFreeFormEngine(),
  ],
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
            // React alone: the phone entry loads it too, without the rest (the router is in console-libs below)
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            // antd is NOT one group: split by use, a page downloads only the components it renders (issue 10:
            // one antd chunk put 363 KB gzip on every first load)
            // only the results page draws charts: keep ECharts out of the bundle every page loads
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender|echarts-for-react|size-sensor)[\\/]/ },
            // The libraries the console needs before it can render (its entry's static imports) in one chunk, not
            // ~20 small ones split by which lazy page shares each: every first visit loads all of them anyway, and
            // on HTTP/1.1 (6 connections) each further request costs a round trip (issue 10). Libraries only: the
            // phone entry uses none but React (grouped above), and no library imports the app's modules.
            { name: 'console-libs', tags: ['$initial'], test: /node_modules[\\/]/ },
          ],
        },
      },
    },
  },
});
