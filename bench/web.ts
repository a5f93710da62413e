/**
 * Web bundle: gzip size of what a first visit downloads, from the production build in web/dist
 * (run `npm run build` first):
 * - console: index.html's entry with its static imports and CSS, plus the dashboard route (where the console lands);
 * - phone registration page (/r/:token): its own light entry, phone.html (web/src/phone: no antd, router or
 *   i18next; the server sends it for /r/*), with its static imports and CSS.
 * Chunks and their static imports come from the Vite manifest (web/dist/.vite/manifest.json) when the build wrote
 * one, else from the import statements of the built files themselves.
 * With `--lighthouse`, also the Lighthouse performance score (mobile preset, simulated throttling) of the dashboard,
 * logged in as --username/--password, and of the phone registration page for a fresh QR token, against a server you
 * start (`--url http://127.0.0.1:3000`). Lighthouse is not a project dependency (it is large and only this bench
 * needs it): install it anywhere and point LIGHTHOUSE_BIN at it, e.g.
 *   npm i --prefix /tmp/lh lighthouse@13 && LIGHTHOUSE_BIN=/tmp/lh/node_modules/.bin/lighthouse \
 *     npm run bench -- web --lighthouse --url http://127.0.0.1:3000 --username admin --password Jingwei2026
 * `--runs 3` runs Lighthouse three times per page and reports the median run (by score) with every run's figures;
 * `--only dashboard` (or `phone`) skips the other page. The full report of each page's median run is kept as
 * bench/results/lighthouse-<page>.json (its diagnostics: render-blocking requests, unused JavaScript, main-thread
 * work, the LCP element), with the load average before and after each run.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import { writeResult } from './_lib.ts';

const { values } = parseArgs({
  options: {
    dist: { type: 'string', default: 'web/dist' },
    lighthouse: { type: 'boolean', default: false },
    url: { type: 'string', default: 'http://127.0.0.1:3000' },
    username: { type: 'string', default: 'admin' },
    password: { type: 'string', default: 'Jingwei2026' },
    runs: { type: 'string', default: '1' },
    only: { type: 'string' },
  },
});
const dist = values.dist!;
const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
const phoneHtml = fs.readFileSync(path.join(dist, 'phone.html'), 'utf8');
const gz = (file: string) => zlib.gzipSync(fs.readFileSync(path.join(dist, file)), { level: 9 }).length;

/** Static imports of a built chunk (`import … from "./x.js"`, `import "./x.js"`), as dist-relative paths. */
function staticImports(file: string): string[] {
  const text = fs.readFileSync(path.join(dist, file), 'utf8');
  const out = new Set<string>();
  const dir = path.posix.dirname(file);
  // Static: `from"./a.js"` / `import"./a.js"` (not followed by `(`: dynamic imports are lazy routes).
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*)["'](\.{1,2}\/[^"']+\.(?:js|css))["']/g)) {
    out.add(path.posix.normalize(path.posix.join(dir, m[1])));
  }
  return [...out];
}

function closure(start: string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...start];
  while (stack.length) {
    const f = stack.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    if (f.endsWith('.js')) stack.push(...staticImports(f));
  }
  return seen;
}

/** What a page's html loads itself: entry scripts, module preloads and stylesheets. */
const htmlLoads = (page: string) => [
  ...[...page.matchAll(/<script[^>]+src="\/?([^"]+)"/g)].map((m) => m[1]),
  ...[...page.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/?([^"]+)"/g)].map((m) => m[1]),
  ...[...page.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="\/?([^"]+)"/g)].map((m) => m[1]),
];
const assets = fs.readdirSync(path.join(dist, 'assets'));
// The dashboard page is in the entry chunk since issue 10's second pass (no chunk of its own): then nothing to add
const route = (name: string) => {
  const js = assets.find((a) => a.startsWith(`${name}-`) && a.endsWith('.js'));
  if (!js) return [];
  const own = assets.filter((a) => a.startsWith(`${name}-`) && a.endsWith('.css')).map((a) => `assets/${a}`);
  return [`assets/${js}`, ...own];
};

const manifestFile = path.join(dist, '.vite', 'manifest.json');
let source = 'import statements of the built files';
let shell = closure(htmlLoads(html));
let phone = closure(htmlLoads(phoneHtml));
let consoleFirst = new Set([...shell, ...closure(route('DashboardPage'))]);
if (fs.existsSync(manifestFile)) {
  source = 'Vite manifest';
  const manifest: Record<string, { file: string; imports?: string[]; css?: string[]; isEntry?: boolean }> = JSON.parse(
    fs.readFileSync(manifestFile, 'utf8'),
  );
  const walk = (keys: string[]) => {
    const files = new Set<string>();
    const seen = new Set<string>();
    const stack = [...keys];
    while (stack.length) {
      const k = stack.pop()!;
      if (seen.has(k) || !manifest[k]) continue;
      seen.add(k);
      files.add(manifest[k].file);
      for (const c of manifest[k].css ?? []) files.add(c);
      stack.push(...(manifest[k].imports ?? []));
    }
    return files;
  };
  const key = (name: string) => Object.keys(manifest).find((k) => k.endsWith(`/${name}.tsx`));
  if (!manifest['index.html'] || !manifest['phone.html'])
    throw new Error(`index.html or phone.html missing from ${manifestFile}`);
  // plus what the html loads that is not a chunk of the manifest (the console's early-requests script, boot.ts)
  const extra = (page: string) => htmlLoads(page).filter((f) => fs.existsSync(path.join(dist, f)));
  shell = new Set([...walk(['index.html']), ...extra(html)]);
  phone = new Set([...walk(['phone.html']), ...extra(phoneHtml)]);
  const dashboard = key('dashboard/DashboardPage');
  consoleFirst = new Set([...shell, ...(dashboard ? walk([dashboard]) : [])]);
}
const kb = (files: Set<string>) => +([...files].reduce((a, f) => a + gz(f), 0) / 1024).toFixed(1);
const list = (files: Set<string>) =>
  [...files].map((f) => ({ file: f, gzipKB: +(gz(f) / 1024).toFixed(1) })).sort((a, b) => b.gzipKB - a.gzipKB);

let lighthouse: Record<string, unknown> | null = null;
if (values.lighthouse) {
  const bin = process.env.LIGHTHOUSE_BIN ?? path.resolve('node_modules/.bin/lighthouse');
  if (!fs.existsSync(bin)) throw new Error(`lighthouse not found at ${bin} (set LIGHTHOUSE_BIN)`);
  // A session for the dashboard, and a QR token of the admin's own org for the phone page.
  const login = await fetch(`${values.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: values.username, password: values.password }),
  });
  if (!login.ok) throw new Error(`login ${values.username}: ${login.status}`);
  const me = await login.json();
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const token = await fetch(`${values.url}/api/registration-tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': me.csrfToken },
    body: JSON.stringify({ orgId: me.account.orgId }),
  });
  if (!token.ok) throw new Error(`registration token: ${token.status} ${await token.text()}`);
  const qr = (await token.json()).token;
  const runOnce = (url: string, headers?: Record<string, string>) => {
    const out = path.join(os.tmpdir(), `jw-lh-${process.pid}.json`);
    const loadBefore = +os.loadavg()[0].toFixed(2);
    const r = spawnSync(
      bin,
      [
        url,
        '--only-categories=performance',
        '--output=json',
        `--output-path=${out}`,
        '--chrome-flags=--headless --no-sandbox --disable-gpu',
        '--quiet',
        ...(headers ? [`--extra-headers=${JSON.stringify(headers)}`] : []),
      ],
      { env: { ...process.env, CHROME_PATH: process.env.CHROME_PATH ?? '/usr/bin/chromium' }, stdio: 'inherit' },
    );
    if (r.status !== 0) throw new Error(`lighthouse failed on ${url}`);
    const report = JSON.parse(fs.readFileSync(out, 'utf8'));
    fs.rmSync(out, { force: true });
    const metric = (id: string) => Math.round(report.audits[id]?.numericValue ?? Number.NaN);
    const figures = {
      score: Math.round(report.categories.performance.score * 100),
      finalUrl: report.finalDisplayedUrl ?? report.finalUrl,
      fcpMs: metric('first-contentful-paint'),
      lcpMs: metric('largest-contentful-paint'),
      tbtMs: metric('total-blocking-time'),
      speedIndexMs: metric('speed-index'),
      cls: +(report.audits['cumulative-layout-shift']?.numericValue ?? Number.NaN).toFixed(3),
      loadBefore,
      loadAfter: +os.loadavg()[0].toFixed(2),
    };
    return { figures, report };
  };
  const runs = Math.max(1, Number(values.runs) || 1);
  const score = (page: string, url: string, headers?: Record<string, string>) => {
    const all = Array.from({ length: runs }, () => runOnce(url, headers));
    const sorted = [...all].sort((a, b) => a.figures.score - b.figures.score);
    const median = sorted[Math.floor((sorted.length - 1) / 2)];
    fs.mkdirSync('bench/results', { recursive: true });
    fs.writeFileSync(`bench/results/lighthouse-${page}.json`, JSON.stringify(median.report));
    for (const [i, { figures }] of all.entries())
      console.log(
        `${page} run ${i + 1}: score ${figures.score}, FCP ${figures.fcpMs} ms, LCP ${figures.lcpMs} ms, ` +
          `TBT ${figures.tbtMs} ms, load ${figures.loadBefore} → ${figures.loadAfter}`,
      );
    return { ...median.figures, runs: all.map((r) => r.figures) };
  };
  lighthouse = {
    targets: { phone: 90, dashboard: 80 },
    dashboard: values.only === 'phone' ? null : score('dashboard', `${values.url}/`, { Cookie: cookie }),
    phoneRegistration: values.only === 'dashboard' ? null : score('phone', `${values.url}/r/${qr}`),
    loadAverage: os.loadavg()[0],
  };
}

writeResult('web', 'build', {
  source,
  consoleFirstLoadGzipKB: kb(consoleFirst),
  phoneRegistrationFirstLoadGzipKB: kb(phone),
  targets: { consoleKB: 600, phoneKB: 150 },
  phoneFiles: list(phone),
  consoleFiles: list(consoleFirst),
  lighthouse,
});
