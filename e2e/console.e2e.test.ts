import fs from 'node:fs';
import path from 'node:path';
import { generate } from 'otplib';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../server/test/server-process.ts';
import { PASSWORD, seededDataDir } from './support.ts';

const SHOTS = path.resolve('test-results/e2e');
const dataDir = seededDataDir();
let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  server = await startServer({ JINGWEI_DATA_DIR: dataDir, JINGWEI_DEMO_PASSWORD: PASSWORD });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

async function login(page: Page, username: string, password: string) {
  await page.goto(`${server.url}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** Calls the API from inside the page, with the page's session cookie and CSRF token. */
async function apiInPage(page: Page, method: string, url: string, body?: unknown) {
  return page.evaluate(
    async ({ method, url, body }) => {
      const me = await (await fetch('/api/me')).json();
      const res = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, json: await res.json() };
    },
    { method, url, body },
  );
}

function node(page: Page, name: string) {
  return page
    .getByTestId(/^org-node-\d+$/)
    .filter({ hasText: name })
    .first();
}

/** Selects an org in the tree and waits until the detail pane shows it (the pane remounts per org). */
async function selectOrg(page: Page, name: string) {
  await node(page, name).click();
  await expect.poll(() => page.getByTestId('org-detail-name').textContent()).toContain(name);
}

/** Opens the antd Select of a form field (its inner input is not clickable itself). */
async function openSelect(page: Page, field: string) {
  await page.locator(`.ant-modal-wrap:visible .ant-select:has(#${field})`).click();
}

async function pickOption(page: Page, text: string) {
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: text }).first().click();
}

async function confirmModal(page: Page) {
  await page.locator('.ant-modal-wrap:visible .ant-modal-footer .ant-btn-primary').click();
  await page
    .locator('.ant-modal-wrap:visible')
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => {});
}

describe('web console', () => {
  it('an admin builds the network; a town admin then sees only his own town', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });

    await login(page, 'admin', PASSWORD);
    await expect.poll(() => page.getByTestId('header-user').textContent()).toContain('王建国');
    await page.getByTestId('nav-orgs').click();
    await node(page, '共青团柯桥区委员会').waitFor();
    await shot(page, '01-org-tree');

    // Create a town under the district committee, and a village under it.
    await selectOrg(page, '共青团柯桥区委员会');
    await page.getByTestId('org-create-child').click();
    await page.locator('.ant-modal-wrap:visible #name').fill('经纬测试镇团委');
    await openSelect(page, 'kind');
    await pickOption(page, '镇街团委');
    await shot(page, '02-create-town');
    await confirmModal(page);
    await node(page, '经纬测试镇团委').waitFor();

    await selectOrg(page, '经纬测试镇团委');
    await page.getByTestId('org-create-child').click();
    await page.locator('.ant-modal-wrap:visible #name').fill('经纬新村团总支');
    await openSelect(page, 'kind');
    await pickOption(page, '村团总支');
    await confirmModal(page);
    await node(page, '经纬新村团总支').waitFor();
    await shot(page, '03-created');

    // Move the village under 柯桥街道.
    await selectOrg(page, '经纬新村团总支');
    await page.getByTestId('org-move').click();
    await openSelect(page, 'parentId');
    await page.keyboard.type('柯桥街道');
    await page
      .locator('.ant-select-dropdown:visible .ant-select-tree-title')
      .filter({ hasText: '柯桥街道团工委' })
      .first()
      .click();
    await shot(page, '04-move');
    await confirmModal(page);
    await expect.poll(() => page.getByTestId('org-detail-parent').textContent()).toContain('柯桥街道团工委');
    const moved = await apiInPage(page, 'GET', `/api/orgs?q=${encodeURIComponent('经纬新村')}`);
    expect(moved.json.items[0].parentName).toBe('柯桥街道团工委');
    await shot(page, '05-moved');

    // An account for the new town, created by the district admin.
    const town = (await apiInPage(page, 'GET', `/api/orgs?q=${encodeURIComponent('经纬测试镇')}`)).json.items[0];
    const created = await apiInPage(page, 'POST', '/api/accounts', {
      username: 'jwcs.admin',
      displayName: '测试镇书记',
      role: 'org_admin',
      orgId: town.id,
      password: 'Start2026x',
    });
    expect(created.status).toBe(201);
    const other = (await apiInPage(page, 'GET', `/api/orgs?q=${encodeURIComponent('柯桥街道团工委')}`)).json.items[0];
    await page.getByTestId('logout').click();
    await page.getByTestId('login-username').waitFor();

    // The town admin must change the password first, then sees only his town.
    await login(page, 'jwcs.admin', 'Start2026x');
    await page.getByTestId('currentPassword').fill('Start2026x');
    await page.getByTestId('newPassword').fill('Mine2026town');
    await page.getByTestId('confirmPassword').fill('Mine2026town');
    await shot(page, '06-first-login');
    await page.getByTestId('password-submit').click();
    await page.getByTestId('nav-orgs').click();
    await node(page, '经纬测试镇团委').waitFor();
    await shot(page, '07-town-admin-tree');
    const treeText = await page.getByTestId('org-tree').textContent();
    expect(treeText).not.toContain('柯桥街道团工委');
    expect(treeText).not.toContain('安昌镇团委');
    expect(treeText).not.toContain('共青团柯桥区委员会');
    expect(treeText).not.toContain('经纬新村团总支');

    await page.getByTestId('org-search').fill('kqjd');
    await page.waitForTimeout(800);
    expect(await page.getByTestId('org-tree').textContent()).not.toContain('柯桥街道团工委');
    const denied = await apiInPage(page, 'GET', `/api/orgs/${other.id}`);
    expect(denied.status).toBe(404);
    const tree = await apiInPage(page, 'GET', '/api/orgs/tree');
    expect(tree.json.roots.map((r: { id: number }) => r.id)).toEqual([town.id]);
    await page.goto(`${server.url}/orgs?org=${other.id}`);
    await page.getByTestId('org-tree').waitFor();
    await shot(page, '08-other-town-by-url');
    expect(await page.getByTestId('org-tree').textContent()).not.toContain('柯桥街道团工委');
    await page.close();
  });

  it('the town admin sets up an authenticator; his next login asks for its code', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await login(page, 'jwcs.admin', 'Mine2026town');
    await page.getByTestId('security-settings').click();
    await page.getByTestId('totp-start').click();
    await page.getByTestId('totp-qr').waitFor();
    const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').trim();
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await page.getByTestId('totp-code').fill(await generate({ secret }));
    await page.getByTestId('totp-confirm').click();
    await page.getByTestId('totp-enabled').waitFor();
    await shot(page, '09-totp-enabled');
    await page.getByTestId('logout').click();

    await login(page, 'jwcs.admin', 'Mine2026town');
    await page.getByTestId('login-totp').waitFor();
    // The code of the next 30-second step: the one used to enrol cannot be used twice.
    await page.getByTestId('login-totp').fill(await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
    await page.getByTestId('login-submit').click();
    await page.getByTestId('header-user').waitFor();
    expect(await page.getByTestId('header-user').textContent()).toBe('测试镇书记');
    await page.close();
  });

  it('switches the console to English', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await login(page, 'admin', PASSWORD);
    await page.getByTestId('header-user').waitFor();
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('nav-orgs').click();
    await expect.poll(() => page.getByTestId('nav-orgs').textContent()).toMatch(/Org/i);
    await shot(page, '10-english');
    await page.close();
  });
});
