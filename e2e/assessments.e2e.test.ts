import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiInPage, type E2eEnv, login, logout, shot, startE2e } from './support.ts';

/** The Keqiao 2013 report's published item scores (Table 1), the project's reference data. */
const reference = JSON.parse(fs.readFileSync(path.resolve('domain/reference/assessment-keqiao-2013.json'), 'utf8')) as {
  indicators: { name: string; items: { text: string; published_score: number }[] }[];
};

/**
 * What a cadre enters for each published score: the scoring page offers the whole points of the
 * 7-point scale, so the nearest one. Keys are the template's ("<indicator>.<item>", from 1).
 */
const entered = reference.indicators.map((indicator, i) =>
  indicator.items.map((item, j) => ({ key: `${i + 1}.${j + 1}`, point: Math.round(item.published_score) })),
);

// The report's aggregation, computed here on its own: indicator = mean of its items, overall = mean
// of the indicators, each rounded to two decimals.
const round2 = (v: number) => Math.round(v * 100) / 100;
const avg = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
const indicatorMeans = entered.map((items) => round2(avg(items.map((i) => i.point))));
const overall = round2(avg(indicatorMeans));

let env: E2eEnv;

beforeAll(async () => {
  env = await startE2e();
});
afterAll(async () => {
  await env?.close();
});

/** The org ids of an org tree, by name. */
async function orgByName(page: Page, name: string): Promise<{ id: number; name: string }> {
  const res = await apiInPage(page, 'GET', `/api/orgs?q=${encodeURIComponent(name)}`);
  const org = res.json.items.find((o: { name: string }) => o.name === name);
  expect(org).toBeDefined();
  return org;
}

describe('assessments', () => {
  const roundName = `E2E测评-${Date.now().toString(36)}`;
  const setName = 'E2E柯桥指标体系';
  let roundId: number;

  it('sanity: the reference file is the 10-indicator, 30-item Keqiao table', () => {
    expect(reference.indicators).toHaveLength(10);
    expect(entered.flat()).toHaveLength(30);
    expect(entered.flat().every((e) => e.point >= 1 && e.point <= 7)).toBe(true);
  });

  it('an admin opens a Keqiao round, enters the report’s scores, and the results reproduce its means', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await login(page, env.server.url, 'admin');
    const town = await orgByName(page, '柯桥街道团工委');
    const wg1 = (await apiInPage(page, 'GET', '/api/accounts?q=kqjd.wg1')).json.items.find(
      (a: { username: string }) => a.username === 'kqjd.wg1',
    );
    expect(wg1).toBeDefined();

    await page.getByTestId('nav-assessments').click();
    await page.getByTestId('assessments-page').waitFor();

    // 1. an indicator set copied from the built-in Keqiao template
    await page.getByTestId('set-create').click();
    const setModal = page.locator('.ant-modal-wrap:visible').filter({ has: page.getByTestId('set-create-form') });
    await setModal.getByTestId('set-name').fill(setName);
    await expect.poll(() => setModal.getByTestId('set-preview').textContent()).toMatch(/10\D+30/);
    await setModal.getByTestId('set-create-ok').click();
    await setModal.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('sets-summary').textContent()).toContain(setName);
    const sets = (await apiInPage(page, 'GET', '/api/assessments/sets')).json.items;
    const set = sets.find((s: { name: string }) => s.name === setName);
    expect(set.definition.indicators.map((i: { name: string }) => i.name)).toEqual(
      reference.indicators.map((i) => i.name),
    );

    // 2. a round over 柯桥街道, scored by the admin and by a grid leader (who cannot read sets)
    await page.getByTestId('round-create').click();
    const roundModal = page.locator('.ant-modal-wrap:visible').filter({ has: page.getByTestId('round-create-form') });
    await roundModal.getByTestId('round-name').waitFor();
    await expect.poll(() => roundModal.locator('.ant-select:has(#setId)').textContent()).toContain(setName);
    await roundModal.getByTestId('round-name').fill(roundName);
    await roundModal.locator('.ant-select:has(#orgIds)').click();
    await page.keyboard.type('柯桥街道');
    await page
      .locator('.ant-select-dropdown:visible .ant-select-tree-node-content-wrapper')
      .filter({ hasText: '柯桥街道团工委' })
      .first()
      .click();
    await roundModal.locator('.ant-modal-title').click(); // closes the dropdown
    await expect.poll(() => roundModal.locator('.ant-select:has(#orgIds)').textContent()).toContain('柯桥街道团工委');
    await roundModal.locator('.ant-select:has(#assessorIds)').click();
    await page.keyboard.type('kqjd.wg1');
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: 'kqjd.wg1' })
      .first()
      .click();
    await roundModal.locator('.ant-modal-title').click();
    await expect.poll(() => roundModal.locator('.ant-select:has(#assessorIds)').textContent()).toContain('kqjd.wg1');
    await shot(page, 'assess-01-round');
    await roundModal.getByTestId('round-create-ok').click();
    await roundModal.waitFor({ state: 'detached' });

    const rounds = (await apiInPage(page, 'GET', '/api/assessments/rounds')).json.items;
    const round = rounds.find((r: { name: string }) => r.name === roundName);
    roundId = round.id;
    expect(round).toMatchObject({ setId: set.id, orgs: [{ id: town.id }], progress: { entered: 0, expected: 60 } });
    expect(round.assessors.map((a: { id: number }) => a.id)).toContain(wg1.id);
    await page.getByTestId(`round-name-${roundId}`).waitFor();

    // 3. scoring: one click per item on its point of the scale, then save everything at once
    await page.getByTestId(`round-score-${roundId}`).click();
    await page.getByTestId('scoring-page').waitFor();
    await expect.poll(() => page.getByTestId('scoring-org-select').textContent()).toContain('柯桥街道团工委');
    const savedCount = page.getByTestId('scoring-saved-count');
    await expect.poll(() => savedCount.getAttribute('data-total')).toBe('30');
    expect(await savedCount.getAttribute('data-saved')).toBe('0');
    for (const { key, point } of entered.flat()) {
      await page.getByTestId(`score-${key}-${point}`).click();
      await expect.poll(() => page.getByTestId(`score-label-${key}`).textContent()).toMatch(new RegExp(`^${point} ·`));
    }
    await expect.poll(() => page.getByTestId('scoring-dirty-count').textContent()).toContain('30');
    await page.getByTestId('save-all').click();
    await expect.poll(() => savedCount.getAttribute('data-saved'), { timeout: 15_000 }).toBe('30');
    await shot(page, 'assess-02-scored');
    const mine = (await apiInPage(page, 'GET', `/api/assessments/rounds/${roundId}/scores?orgId=${town.id}`)).json;
    expect(Object.fromEntries(mine.items.map((s: { itemKey: string; score: number }) => [s.itemKey, s.score]))).toEqual(
      Object.fromEntries(entered.flat().map((e) => [e.key, e.point])),
    );

    // 4. results: overall, every indicator mean and the radar equal the means computed above
    await page.goto(`${env.server.url}/assessments/${roundId}/results`);
    await page.getByTestId('results-page').waitFor();
    await expect.poll(() => page.getByTestId('overall-score').textContent()).toBe(overall.toFixed(2));
    for (const [i, mean] of indicatorMeans.entries()) {
      expect(await page.getByTestId(`indicator-mean-${i}`).textContent()).toBe(mean.toFixed(2));
    }
    const radar = page.getByTestId('assessment-radar');
    expect(JSON.parse((await radar.getAttribute('data-means')) ?? 'null')).toEqual(indicatorMeans);
    expect(JSON.parse((await radar.getAttribute('data-indicators')) ?? 'null')).toEqual(
      reference.indicators.map((i) => i.name),
    );
    // the chart itself was drawn, with an axis per indicator
    await radar.locator('svg').first().waitFor();
    const chartText = await radar.locator('svg').first().textContent();
    for (const indicator of reference.indicators) expect(chartText).toContain(indicator.name);
    // … and the page agrees with the API
    const results = (await apiInPage(page, 'GET', `/api/assessments/rounds/${roundId}/results`)).json;
    expect(results.combined.overall).toBe(overall);
    expect(results.combined.indicators.map((i: { mean: number }) => i.mean)).toEqual(indicatorMeans);
    await shot(page, 'assess-03-results');
    await page.close();
  });

  it('a grid leader named as assessor gets the items to score without reading the sets', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await login(page, env.server.url, 'kqjd.wg1');
    expect((await apiInPage(page, 'GET', '/api/assessments/sets')).status).toBe(403);
    await page.getByTestId('nav-assessments').click();
    await page.getByTestId(`round-score-${roundId}`).click();
    await page.getByTestId('scoring-page').waitFor();
    const savedCount = page.getByTestId('scoring-saved-count');
    await expect.poll(() => savedCount.getAttribute('data-total')).toBe('30');
    expect(await savedCount.getAttribute('data-saved')).toBe('0');
    for (let i = 0; i < reference.indicators.length; i++) {
      expect(await page.getByTestId(`indicator-card-${i}`).textContent()).toContain(reference.indicators[i].name);
    }
    // one score of his own, saved through the page
    await page.getByTestId('score-1.1-7').click();
    await page.getByTestId('save-indicator-0').click();
    await expect.poll(() => savedCount.getAttribute('data-saved')).toBe('1');
    const seen = (await apiInPage(page, 'GET', `/api/assessments/rounds/${roundId}`)).json;
    expect(seen.progress).toEqual({ entered: 31, expected: 60 });
    expect((await apiInPage(page, 'GET', `/api/assessments/rounds/${roundId}/results`)).status).toBe(403);
    await shot(page, 'assess-04-grid-leader');
    await logout(page);
    await page.close();
  });

  it('ranks villages quarterly from the template; a row drills down to the grids behind its number', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await login(page, env.server.url, 'admin');
    await page.goto(`${env.server.url}/assessments`);
    await page.getByTestId('tab-rankings').click();
    await page.getByTestId('rankings-panel').waitFor();
    const name = `E2E季度排行-${Date.now().toString(36)}`;
    await page.getByTestId('ranking-scheme-create').click();
    await page.getByTestId('ranking-scheme-name').fill(name);
    await page.locator('.ant-modal-wrap:visible .ant-btn-primary').click();
    await page.getByTestId('ranking-period-create').waitFor();
    await page.getByTestId('ranking-period-create').click();
    await page.getByTestId('ranking-period-input').fill('2026Q4');
    await page.locator('.ant-modal-wrap:visible .ant-btn-primary').click();
    await page.getByTestId('ranking-state').waitFor();
    await page.locator('[data-testid="ranking-table"] .ant-table-row').first().waitFor();

    // The page shows the API's ranking: first row's rank and total.
    const schemes = (await apiInPage(page, 'GET', '/api/assessments/rankings/schemes')).json.items;
    const scheme = schemes.find((x: any) => x.name === name);
    const periods = (await apiInPage(page, 'GET', `/api/assessments/rankings/periods?schemeId=${scheme.id}`)).json
      .items;
    const results = (await apiInPage(page, 'GET', `/api/assessments/rankings/periods/${periods[0].id}/results`)).json;
    expect(results.rows.length).toBeGreaterThan(10);
    const top = results.rows[0];
    expect(await page.getByTestId(`total-${top.orgId}`).textContent()).toBe(String(top.total));
    expect(await page.getByTestId(`rank-${top.orgId}`).textContent()).toBe('1');

    // Expand a village (on the first page) that has grids and open the records behind its four-ones number.
    const row = results.rows
      .slice(0, 50)
      .find((r: any) => r.items.find((i: any) => i.key === 'four_ones').denominator > 0);
    expect(row).toBeDefined();
    await page
      .locator(`[data-testid="ranking-table"] tr[data-row-key="${row.orgId}"] .ant-table-row-expand-icon`)
      .click();
    await page.getByTestId(`drill-${row.orgId}-four_ones`).click();
    await page.locator('[data-testid="drill-table"] .ant-table-row').first().waitFor();
    const item = row.items.find((i: any) => i.key === 'four_ones');
    const summary = await page.getByTestId('drill-summary').textContent();
    expect(summary).toContain(`${item.numerator} / ${item.denominator}`);
    const drill = (
      await apiInPage(
        page,
        'GET',
        `/api/assessments/rankings/periods/${periods[0].id}/drilldown?orgId=${row.orgId}&itemKey=four_ones`,
      )
    ).json;
    expect(drill.rows.length).toBe(Math.min(item.denominator, 200));
    await shot(page, 'assessments-rankings-drilldown');
    await page.close();
  });
});
