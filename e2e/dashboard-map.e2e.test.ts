import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiInPage, type E2eEnv, login, shot, startE2e } from './support.ts';

let env: E2eEnv;
beforeAll(async () => {
  env = await startE2e();
});
afterAll(() => env?.close());

type Painted = Record<string, number>;

describe('dashboard grid map', () => {
  it('the metric selector colours the grids and the legend shows the server’s classes', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await login(page, env.server.url, 'admin');
    const map = page.getByTestId('dashboard-map');
    await map.waitFor();
    const paintedOf = async () => JSON.parse((await map.getAttribute('data-painted')) ?? '{}') as Painted;

    // Choose 登记青年 (registered youth) in the selector.
    await page.getByTestId('dashboard-map-metric').click();
    await page.locator('.ant-select-item-option', { hasText: '登记青年' }).click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="dashboard-map"]')?.getAttribute('data-metric') === 'youth',
    );
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-testid="dashboard-map"]');
      const drawn = Number(el?.getAttribute('data-drawn') ?? 0);
      const painted = JSON.parse(el?.getAttribute('data-painted') ?? '{}') as Record<string, number>;
      return drawn > 0 && Object.values(painted).reduce((a, b) => a + b, 0) === drawn;
    });
    await shot(page, 'dashboard-map-01-youth');

    const api = (await apiInPage(page, 'GET', '/api/dashboard/grid-map?metric=youth')).json;
    const items = page.getByTestId('dashboard-map-legend-item');
    const shown = await items.evaluateAll((els) =>
      els.map((e) => ({
        label: e.querySelector('.jw-legend-label')?.textContent,
        color: e.getAttribute('data-color'),
        count: Number(e.getAttribute('data-count')),
        text: e.textContent,
      })),
    );
    // The legend on the page is the server's: labels, colours, counts; the counts cover every grid.
    expect(shown.map((s) => [s.label, s.color, s.count])).toEqual(
      api.legend.map((l: any) => [l.label, l.color, l.count]),
    );
    expect(shown.every((s) => s.text?.includes(`(${s.count})`))).toBe(true);
    expect(shown.reduce((n, s) => n + s.count, 0)).toBe(api.items.length);
    const total = (await apiInPage(page, 'GET', '/api/grids?pageSize=1')).json.total;
    expect(api.items.length).toBe(total);
    // Each colour painted on the map covers exactly the drawn grids of its class.
    const drawnIds = new Set<number>(
      (await apiInPage(page, 'GET', '/api/grids?withBoundary=true&pageSize=2000')).json.items
        .filter((g: any) => g.boundary)
        .map((g: any) => g.id),
    );
    const expected: Painted = {};
    for (const item of api.items) {
      if (!drawnIds.has(item.gridId)) continue;
      const c = api.legend[item.class].color;
      expected[c] = (expected[c] ?? 0) + 1;
    }
    expect(await paintedOf()).toEqual(expected);
    expect(Object.keys(expected).length).toBeGreaterThan(1);

    // Back to capacity: the colours change to the capacity categories.
    await page.getByTestId('dashboard-map-metric').click();
    await page.locator('.ant-select-item-option', { hasText: '容量状态' }).click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="dashboard-map"]')?.getAttribute('data-metric') === 'capacity',
    );
    const capacity = (await apiInPage(page, 'GET', '/api/dashboard/grid-map?metric=capacity')).json;
    const labels = await page.locator('[data-testid="dashboard-map-legend-item"] .jw-legend-label').allTextContents();
    expect(labels).toEqual(capacity.legend.map((l: any) => l.label));
    expect(labels).toContain('达标');
    await page.close();
  });
});

describe('self-assessment on a phone', () => {
  it('a town scores itself at 375 px without sideways scrolling', async () => {
    const admin = await env.browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    await login(admin, env.server.url, 'admin');
    const me = (await apiInPage(admin, 'GET', '/api/me')).json;
    const town = (await apiInPage(admin, 'GET', '/api/orgs/tree')).json.roots[0].children.find((c: any) =>
      c.name.startsWith('柯桥街道'),
    );
    const set = (await apiInPage(admin, 'POST', '/api/assessments/sets', { name: '自评指标', copyFrom: 'keqiao' }))
      .json;
    const round = await apiInPage(admin, 'POST', '/api/assessments/rounds', {
      setId: set.id,
      name: '自评测试',
      period: '2026Q4',
      deadline: '2099-12-31T16:00:00Z',
      orgIds: [town.id],
      assessorIds: [me.account.id],
      mode: 'self_review',
    });
    expect(round.status).toBe(201);
    await admin.close();

    const page = await env.browser.newPage({ viewport: { width: 375, height: 812 }, locale: 'zh-CN', isMobile: true });
    await login(page, env.server.url, 'kqjd');
    await page.goto(`${env.server.url}/assessments/${round.json.id}/score`);
    await page.getByTestId('self-review-page').waitFor();
    await page.getByTestId('self-score-1.1-6').click();
    await page.getByTestId('self-save').click();
    await page.waitForFunction(async (id) => {
      const r = await fetch(
        `/api/assessments/rounds/${id}/self?orgId=${(await (await fetch('/api/me')).json()).account.orgId}`,
      );
      return (await r.json()).items[0].score === 6;
    }, round.json.id);
    expect(await page.getByTestId('self-state').getAttribute('data-state')).toBe('pending');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(375);
    await shot(page, 'self-review-01-phone');
    await page.close();
  });
});
