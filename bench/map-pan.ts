/**
 * Grid map panning: the dashboard's grid map of the full demo district (1,217 polygons, Leaflet's canvas renderer)
 * dragged back and forth in headless Chromium for a few seconds, then zoomed in and out by the wheel, with every
 * animation frame's interval recorded in the page. Baseline in the same run: the same page and recorder, the map left alone for as long. Reports frames per
 * second, the median and p95 frame interval, and frames longer than 50 ms (what a user sees as a stutter), for both.
 *
 *   npm run build && npm run bench -- map-pan [--seconds 4] [--width 1440 --height 900]
 * Starts its own `jingwei serve` on a fresh data dir (migrations + the full-scale demo seed, 1–2 min) and Chromium at
 * CHROMIUM_PATH (default /usr/bin/chromium). Headless Chromium here has no GPU: the canvas is drawn by the CPU, the
 * harder case.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { startServer } from '../server/test/server-process.ts';
import { writeResult } from './_lib.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '4' },
    width: { type: 'string', default: '1440' },
    height: { type: 'string', default: '900' },
  },
});
const SECONDS = Number(values.seconds);
const PASSWORD = 'BenchMap2026';

type Frames = { frames: number; fps: number; p50: number; p95: number; max: number; over50: number };

/** Records requestAnimationFrame intervals in the page while `during` runs. */
async function recordFrames(page: Page, during: () => Promise<void>): Promise<Frames> {
  // A string, not a function: tsx would wrap the inner arrow in a `__name` helper the page does not have.
  await page.evaluate(`(() => {
    // One loop per recording: a loop of an earlier recording stops at its next frame even if this one starts
    // within the same frame.
    const generation = (window.__generation = (window.__generation ?? 0) + 1);
    window.__frames = [];
    let last = performance.now();
    const tick = (now) => {
      if (window.__generation !== generation) return;
      window.__frames.push(now - last);
      last = now;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  const started = Date.now();
  await during();
  const elapsed = (Date.now() - started) / 1000;
  const intervals = (await page.evaluate(`(() => {
    window.__generation += 1;
    return window.__frames.slice(1);
  })()`)) as number[];
  const sorted = [...intervals].sort((a, b) => a - b);
  const q = (p: number) => +(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0).toFixed(1);
  return {
    frames: intervals.length,
    fps: +(intervals.length / elapsed).toFixed(1),
    p50: q(0.5),
    p95: q(0.95),
    max: +(sorted.at(-1) ?? 0).toFixed(1),
    over50: intervals.filter((d) => d > 50).length,
  };
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jw-bench-map-'));
// Keqiao's 1,217 grids, every one with a boundary (the default demo draws 54).
const server = await startServer(
  { JINGWEI_DATA_DIR: dataDir, JINGWEI_DEMO_PASSWORD: PASSWORD, JINGWEI_DEMO_SCALE: 'full' },
  600_000,
);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const width = Number(values.width);
  const height = Number(values.height);
  const page = await browser.newPage({ viewport: { width, height }, locale: 'zh-CN' });
  await page.goto(`${server.url}/login`);
  await page.getByTestId('login-username').fill('admin');
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('header-user').waitFor();
  const map = page.getByTestId('dashboard-map');
  await map.scrollIntoViewIfNeeded();
  await page.waitForFunction(
    () => Number(document.querySelector('[data-testid="dashboard-map"]')?.getAttribute('data-drawn') ?? 0) > 0,
    undefined,
    { timeout: 120_000 },
  );
  const drawn = Number(await map.getAttribute('data-drawn'));
  const canvases = await page.locator('[data-testid="dashboard-map"] .leaflet-pane canvas').count();
  const svgPaths = await page.locator('[data-testid="dashboard-map"] .leaflet-pane svg path').count();
  await map.scrollIntoViewIfNeeded();
  await page.waitForTimeout(1000); // the first paint and tile requests settle

  const box = (await page.locator('[data-testid="dashboard-map"] .leaflet-container').boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const idle = await recordFrames(page, () => page.waitForTimeout(SECONDS * 1000));
  // Where the map's pane is: a drag moves it (Leaflet translates the pane while dragging, the canvas redraws the
  // polygons when a move ends), so each drag is checked to have moved the map.
  const paneAt = () => page.locator('[data-testid="dashboard-map"] .leaflet-map-pane').getAttribute('style');
  let drags = 0;
  let moved = 0;
  const pan = await recordFrames(page, async () => {
    const until = Date.now() + SECONDS * 1000;
    let dir = 1;
    while (Date.now() < until) {
      const before = await paneAt();
      await page.mouse.move(cx, cy);
      await page.mouse.down();
      // A drag of 300 px in 30 moves, then back the other way.
      for (let i = 1; i <= 30; i++) await page.mouse.move(cx + dir * i * 10, cy + dir * i * 4);
      await page.mouse.up();
      drags++;
      if ((await paneAt()) !== before) moved++;
      dir = -dir;
    }
  });
  // Zooming redraws every polygon at each step: wheel in and out over the centre.
  let zooms = 0;
  const zoom = await recordFrames(page, async () => {
    const until = Date.now() + SECONDS * 1000;
    let dir = -1;
    await page.mouse.move(cx, cy);
    while (Date.now() < until) {
      await page.mouse.wheel(0, dir * 240);
      await page.waitForTimeout(250);
      zooms++;
      dir = -dir;
    }
  });
  if (moved < drags) throw new Error(`only ${moved} of ${drags} drags moved the map`);
  // The recorder's own check: main-thread tasks of 120 ms must show up as long frames, or the figures above mean
  // nothing (a throttled or detached page would report a steady 60 fps of nothing).
  const control = await recordFrames(page, async () => {
    for (let i = 0; i < 4; i++) {
      await page.evaluate('(() => { const end = performance.now() + 120; while (performance.now() < end); })()');
      await page.waitForTimeout(200);
    }
  });
  if (control.over50 < 4) throw new Error(`the frame recorder missed 120 ms tasks: ${JSON.stringify(control)}`);
  const row = (name: string, f: Frames) =>
    `  ${name.padEnd(7)} ${String(f.fps).padStart(6)} fps  p50 ${String(f.p50).padStart(6)} ms  p95 ${String(f.p95).padStart(6)} ms  max ${String(f.max).padStart(6)} ms  > 50 ms: ${f.over50} of ${f.frames}`;
  console.log(
    `grid map, ${drawn} polygons (${canvases} canvas, ${svgPaths} SVG paths), ${width}×${height}, ${SECONDS} s each:\n${row('idle', idle)}\n${row('pan', pan)} (${drags} drags)\n${row('zoom', zoom)} (${zooms} wheel steps)\n${row('control', control)} (four 120 ms tasks)\n` +
      `pan / idle p50 frame interval: ${(pan.p50 / Math.max(idle.p50, 0.1)).toFixed(2)} (load ${os
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')})`,
  );
  writeResult('map-pan', 'pglite', {
    polygons: drawn,
    canvases,
    svgPaths,
    viewport: { width, height },
    seconds: SECONDS,
    idle,
    pan: { ...pan, drags, moved },
    zoom: { ...zoom, wheelSteps: zooms },
    controlWithLongTasks: control,
    ratioPanToIdleP50: +(pan.p50 / Math.max(idle.p50, 0.1)).toFixed(2),
    loadAverage: os.loadavg().map((x) => +x.toFixed(2)),
  });
} finally {
  await browser.close();
  await server.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
