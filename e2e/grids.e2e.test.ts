import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capacityOf } from '../domain/grid.ts';
import { apiInPage, type E2eEnv, login, logout, shot, startE2e } from './support.ts';

let env: E2eEnv;

beforeAll(async () => {
  env = await startE2e();
});
afterAll(async () => {
  await env?.close();
});

/** A 1×1 PNG standing in for the 天地图 tiles (the test machine has no way out). */
const TILE = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);
const TIANDITU = /^https:\/\/t[0-7]\.tianditu\.gov\.cn\//;

type Tiles = { requested: string[] };

/**
 * A browser context with a 天地图 key set, the tile requests answered locally, and every CSP
 * violation of the page recorded in `window.__cspViolations`.
 */
async function newContext(): Promise<{ context: BrowserContext; tiles: Tiles }> {
  const context = await env.browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  await context.addInitScript(() => {
    localStorage.setItem('jingwei.map.tiandituKey', 'e2e-key');
    const w = window as unknown as { __cspViolations: string[] };
    w.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      w.__cspViolations.push(
        `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`,
      );
    });
  });
  const tiles: Tiles = { requested: [] };
  await context.route(TIANDITU, (route) => {
    tiles.requested.push(route.request().url());
    return route.fulfill({ status: 200, contentType: 'image/png', body: TILE });
  });
  return { context, tiles };
}

/**
 * CSP violations of the page. zod 4 probes `new Function` once to decide whether it may
 * compile validators; `script-src 'self'` rightly refuses that and zod falls back, so it is left out.
 */
const cspViolations = async (page: Page) =>
  (await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)).filter(
    (v) => !v.startsWith('script-src eval'),
  );

/** Grids the caller sees with a polygon (what the map tab draws), straight from the API. */
async function drawnGrids(page: Page, q?: string): Promise<{ id: number; code: string }[]> {
  const query = new URLSearchParams({ withBoundary: 'true', pageSize: '2000', ...(q ? { q } : {}) });
  const res = await apiInPage(page, 'GET', `/api/grids?${query}`);
  expect(res.status).toBe(200);
  return res.json.items.filter((g: { boundary: unknown }) => g.boundary !== null);
}

/** Searches the list; a search for something waits for the list answer of exactly that search. */
async function search(page: Page, q: string) {
  const answered = q
    ? page.waitForResponse(
        (r) => r.url().includes('/api/grids?') && new URL(r.url()).searchParams.get('q') === q && r.ok(),
      )
    : null;
  const input = page.locator('input[data-testid="grid-search"], [data-testid="grid-search"] input').first();
  await input.fill(q);
  await input.press('Enter');
  await answered;
}

/** Opens the map tab and returns the grid count it draws once its (filtered) query has answered. */
async function mapCount(page: Page, expected: number): Promise<number> {
  await page.getByTestId('grid-tab-map').click();
  const map = page.getByTestId('grid-map');
  await map.waitFor();
  await expect.poll(() => map.getAttribute('data-grid-count'), { timeout: 15_000 }).toBe(String(expected));
  return Number(await map.getAttribute('data-grid-count'));
}

/** "已绘制，约 12.34 ha" → m² */
function parseArea(text: string): number {
  const m = /([\d,.]+)\s*(m²|ha|km²)/.exec(text);
  if (!m) throw new Error(`no area in "${text}"`);
  const value = Number(m[1].replaceAll(',', ''));
  return m[2] === 'm²' ? value : m[2] === 'ha' ? value * 10_000 : value * 1_000_000;
}

describe('grids', () => {
  const code = `E2E-${Date.now().toString(36).toUpperCase()}`;
  const name = '经纬E2E测试网格';
  const youth = 130;
  const members = 12;
  let gridId: number;

  it('a cadre draws a new grid on the map, finds it in the list and on the map', async () => {
    const { context, tiles } = await newContext();
    const page = await context.newPage();
    await login(page, env.server.url, 'admin');

    // the village the grid will belong to: the first one of 柯桥街道, read from the API
    const tree = await apiInPage(page, 'GET', '/api/orgs/tree');
    type Node = { id: number; name: string; kind: string; children: Node[] };
    const find = (nodes: Node[], pred: (n: Node) => boolean): Node | undefined => {
      for (const n of nodes) {
        if (pred(n)) return n;
        const hit = find(n.children, pred);
        if (hit) return hit;
      }
      return undefined;
    };
    const town = find(tree.json.roots, (n) => n.name === '柯桥街道团工委')!;
    const village = town.children.find((n) => n.kind === 'village_branch')!;
    expect(village).toBeDefined();
    const before = await drawnGrids(page);
    expect(before.some((g) => g.code === code)).toBe(false);

    // A fresh page: the dashboard's grid map has already fetched the drawn grids into the query cache, and the
    // editor map would reuse them without a request to wait for.
    await page.goto(`${env.server.url}/grids`);
    await page.getByTestId('grid-table').waitFor();

    // the editor map fits itself to the grids already drawn: wait for them before clicking on it
    const reference = page.waitForResponse(
      (r) => r.url().includes('/api/grids?') && r.url().includes('withBoundary=true') && r.ok(),
    );
    await page.getByTestId('grid-create').click();
    const form = page.locator('.ant-drawer-content-wrapper:visible').filter({ has: page.getByTestId('grid-save') });
    await form.getByTestId('grid-code').waitFor();
    await reference;
    await form.getByTestId('grid-code').fill(code);
    await form.getByTestId('grid-name').fill(name);
    await form.getByTestId('grid-youth').fill(String(youth));
    await form.getByTestId('grid-members').fill(String(members));
    await form.locator('.ant-select:has(#orgId)').click();
    await page.keyboard.type(village.name);
    await page
      .locator('.ant-select-dropdown:visible .ant-select-tree-node-content-wrapper')
      .filter({ hasText: village.name })
      .first()
      .click();
    await expect.poll(() => form.locator('.ant-select:has(#orgId)').textContent()).toContain(village.name);

    // draw a quadrilateral: click four vertices on the map, then finish
    const draw = form.getByTestId('grid-draw');
    await expect.poll(() => draw.isEnabled()).toBe(true);
    const editMap = form.getByTestId('grid-edit-map');
    await waitForSteadyMap(editMap);
    await draw.click();
    await expect.poll(() => form.getByTestId('grid-draw-finish').isVisible()).toBe(true);
    const box = (await editMap.boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    for (const [dx, dy] of [
      [-90, -60],
      [90, -60],
      [110, 70],
      [-70, 60],
    ]) {
      await page.mouse.click(cx + dx, cy + dy);
    }
    await form.getByTestId('grid-draw-finish').click();
    const status = form.getByTestId('grid-boundary-status');
    await expect.poll(() => status.textContent()).toMatch(/已绘制/);
    const drawnArea = parseArea((await status.textContent()) ?? '');
    await shot(page, 'grids-01-drawn');

    await form.getByTestId('grid-save').click();
    // the form closes and the detail pane of the new grid opens (it remounts per grid: wait for its name)
    await form.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('grid-detail-name').textContent()).toContain(name);

    // what was saved, read back from the API
    const listed = await apiInPage(page, 'GET', `/api/grids?q=${encodeURIComponent(code)}&withBoundary=true`);
    expect(listed.json.total).toBe(1);
    const grid = listed.json.items[0];
    gridId = grid.id;
    expect(grid).toMatchObject({ code, name, orgId: village.id, youthCount: youth, memberCount: members });
    expect(grid.boundary.type).toBe('MultiPolygon');
    expect(grid.boundary.coordinates).toHaveLength(1);
    expect(grid.boundary.coordinates[0][0]).toHaveLength(5); // four vertices, closed
    // the area shown while drawing (planar estimate) agrees with the stored geodesic area
    expect(grid.areaM2).toBeGreaterThan(0);
    expect(Math.abs(drawnArea - grid.areaM2) / grid.areaM2).toBeLessThan(0.03);

    await page
      .locator('.ant-drawer-content-wrapper:visible')
      .filter({ has: page.getByTestId('grid-detail-name') })
      .locator('.ant-drawer-close')
      .click();
    await page.getByTestId('grid-detail-name').waitFor({ state: 'detached' });

    // the list: searching the code shows exactly its row, with the capacity state the rule gives
    await search(page, code);
    const row = page.getByTestId(`grid-row-${code}`);
    await row.waitFor();
    await expect.poll(() => page.locator('[data-testid^="grid-row-"]').count()).toBe(1);
    const state = await page.getByTestId(`grid-state-${code}`).getAttribute('data-state');
    expect(state).toBe(grid.capacity.status);
    expect(state).toBe(capacityOf(youth, members).status);
    expect(state).toBe('over');
    expect(await row.textContent()).toContain(village.name);
    await shot(page, 'grids-02-list');

    // the map: with the search it draws just the new grid; without, every drawn grid including it
    expect(await mapCount(page, (await drawnGrids(page, code)).length)).toBe(1);
    await page.getByTestId('grid-tab-list').click();
    await search(page, '');
    const after = await drawnGrids(page);
    expect(after.length).toBe(before.length + 1);
    expect(after.some((g) => g.id === gridId)).toBe(true);
    expect(await mapCount(page, after.length)).toBe(before.length + 1);
    await shot(page, 'grids-03-map');

    // 天地图 tiles were requested and the CSP let every one of them through
    await expect.poll(() => tiles.requested.length).toBeGreaterThan(0);
    expect(await cspViolations(page)).toEqual([]);
    await context.close();
  });

  it('a town admin sees the grids of his own town only', async () => {
    const { context } = await newContext();
    const page = await context.newPage();

    // 柯桥街道's admin (positive control): the new grid is his
    await login(page, env.server.url, 'kqjd');
    await page.getByTestId('nav-grids').click();
    await search(page, code);
    await page.getByTestId(`grid-row-${code}`).waitFor();
    const own = await drawnGrids(page);
    expect(own.some((g) => g.id === gridId)).toBe(true);
    expect(await mapCount(page, 1)).toBe(1);
    await logout(page);

    // 安昌镇's admin: not in the list, not on the map, not by id
    await login(page, env.server.url, 'acz');
    await page.getByTestId('nav-grids').click();
    await page.getByTestId('grid-table').waitFor();
    await search(page, code);
    await page.locator('[data-testid="grid-table"] .ant-table-placeholder').waitFor();
    expect(await page.getByTestId(`grid-row-${code}`).count()).toBe(0);
    const searched = await apiInPage(page, 'GET', `/api/grids?q=${encodeURIComponent(code)}`);
    expect(searched.json.total).toBe(0);
    expect((await apiInPage(page, 'GET', `/api/grids/${gridId}`)).status).toBe(404);
    await page.getByTestId('grid-tab-list').click();
    await search(page, '');
    const visible = await drawnGrids(page);
    expect(visible.some((g) => g.id === gridId)).toBe(false);
    expect(await mapCount(page, visible.length)).toBe(visible.length);
    // nothing of 柯桥街道 either: every listed grid belongs to 安昌镇's subtree
    const all = await apiInPage(page, 'GET', '/api/grids?pageSize=2000');
    const mine = await apiInPage(page, 'GET', '/api/orgs/tree');
    const ids = new Set<number>();
    const walk = (n: { id: number; children: unknown[] }) => {
      ids.add(n.id);
      for (const c of n.children) walk(c as typeof n);
    };
    for (const r of mine.json.roots) walk(r);
    expect(all.json.items.every((g: { orgId: number }) => ids.has(g.orgId))).toBe(true);
    await shot(page, 'grids-04-other-town');
    await context.close();
  });
});

/** The editor map fits itself to the grids (and again while the drawer opens): wait until the view holds still. */
async function waitForSteadyMap(map: Locator) {
  const view = () =>
    map.evaluate((el) => {
      const proxy = el.querySelector('.leaflet-proxy') as HTMLElement | null;
      const r = el.getBoundingClientRect();
      return `${proxy?.style.transform ?? ''}|${r.width}x${r.height}@${r.x},${r.y}`;
    });
  let last = '';
  let same = 0;
  await expect
    .poll(
      async () => {
        const now = await view();
        same = now === last ? same + 1 : 0;
        last = now;
        return same;
      },
      { interval: 150, timeout: 10_000 },
    )
    .toBeGreaterThanOrEqual(3);
}
