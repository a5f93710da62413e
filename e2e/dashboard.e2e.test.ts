import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiInPage, type E2eEnv, login, shot, startE2e } from './support.ts';

let env: E2eEnv;
beforeAll(async () => {
  env = await startE2e();
});
afterAll(() => env?.close());

async function series(page: import('playwright-core').Page, testId: string) {
  const raw = await page.getByTestId(testId).getAttribute('data-series');
  return JSON.parse(raw ?? '{}');
}

describe('dashboard', () => {
  it('shows the per-town figures of the district, equal to the detailed lists, and the big screen', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await login(page, env.server.url, 'admin');
    await page.getByTestId('dashboard-child-bars').waitFor();
    await page.locator('[data-testid="dashboard-child-bars"] svg').first().waitFor();
    await shot(page, 'dashboard-01');
    const bars = await series(page, 'dashboard-child-bars');
    expect(bars.names.length).toBeGreaterThan(5);

    // Each town's bars are the numbers the grid and people lists give for that town.
    const tree = (await apiInPage(page, 'GET', '/api/orgs/tree')).json;
    const towns = tree.roots[0].children.filter((c: any) => c.active && bars.names.includes(c.name));
    expect(towns.length).toBe(bars.names.length);
    for (const name of [bars.names[0], bars.names[bars.names.length - 1]]) {
      const town = towns.find((t: any) => t.name === name);
      const i = bars.names.indexOf(name);
      const grids = (await apiInPage(page, 'GET', `/api/grids?orgId=${town.id}&pageSize=1`)).json.total;
      const people = (await apiInPage(page, 'GET', `/api/people?orgId=${town.id}&status=registered&pageSize=1`)).json;
      expect(bars.grids[i]).toBe(grids);
      expect(bars.people[i]).toBe(people.total);
    }
    // The chart drew what it was given: the axis labels are the town names.
    const svgText = await page.locator('[data-testid="dashboard-child-bars"] svg').first().textContent();
    expect(svgText).toContain(bars.names[0]);
    const gridsTotal = Number((await page.getByTestId('dashboard-count-grids').textContent())?.replace(/\D/g, ''));
    expect(gridsTotal).toBe((await apiInPage(page, 'GET', '/api/grids?pageSize=1')).json.total);

    await page.getByTestId('dashboard-screen').click();
    await page.getByTestId('big-screen').waitFor();
    await page.locator('[data-testid="big-screen"] [data-testid="dashboard-child-bars"] svg').first().waitFor();
    const screenGrids = Number((await page.getByTestId('screen-count-grids').textContent())?.replace(/\D/g, ''));
    expect(screenGrids).toBe(gridsTotal);
    await shot(page, 'dashboard-02-big-screen');
    await page.keyboard.press('Escape');
    await page.getByTestId('dashboard-welcome').waitFor();
    await page.close();
  });

  it('a town admin sees only his own town on the dashboard', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await login(page, env.server.url, 'kqjd');
    await page.getByTestId('dashboard-count-people').waitFor();
    const overview = (await apiInPage(page, 'GET', '/api/dashboard/overview')).json;
    expect(overview.org.name).toContain('柯桥街道');
    const shown = Number((await page.getByTestId('dashboard-count-people').textContent())?.replace(/\D/g, ''));
    expect(shown).toBe(overview.totals.people);
    const bars = await series(page, 'dashboard-child-bars').catch(() => ({ names: [] }));
    expect(bars.names.some((n: string) => n.includes('安昌'))).toBe(false);
    await page.close();
  });
});
