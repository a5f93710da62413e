import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../server/test/server-process.ts';

const SHOTS = path.resolve('test-results/e2e');
const PASSWORD = 'E2eDemo2026';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jw-e2e-notices-'));
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
      '--autoplay-policy=no-user-gesture-required',
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

async function login(page: Page, username: string) {
  await page.goto(`${server.url}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('header-user').waitFor();
}

describe('notices through the tower', () => {
  it('the district sends an urgent notice; the grid leader sees it live and acknowledges; the reach report updates', async () => {
    const senderContext = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    const leaderContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const sender = await senderContext.newPage();
    const leader = await leaderContext.newPage();

    // The grid leader keeps his inbox open, connected to the live stream.
    await login(leader, 'kqjd.wg1');
    await leader.getByTestId('nav-notices').click();
    await expect
      .poll(() => leader.getByTestId('notice-live').textContent(), { timeout: 15_000 })
      .toContain('实时连接正常');

    // The district admin composes and sends an urgent notice to the whole district.
    await login(sender, 'admin');
    await sender.getByTestId('nav-notices').click();
    await sender.getByTestId('notices-tab-compose').click();
    await sender.getByTestId('compose-title').fill('防台风紧急通知');
    await sender.getByTestId('compose-body').fill('今晚 20:00 前各网格完成巡查并确认。');
    await sender.getByTestId('compose-urgent').click();
    await shot(sender, 'notices-01-compose');
    await sender.getByTestId('compose-submit').click();

    // Sent: the list shows it; open its reach report (nothing acknowledged yet).
    const reportButton = sender.locator('[data-testid^="sent-report-"]').first();
    await reportButton.waitFor({ timeout: 20_000 });
    await reportButton.click();
    await expect.poll(() => sender.getByTestId('report-acknowledged').textContent(), { timeout: 15_000 }).toBe('0');

    // The leader's page shows the urgent modal without a reload, and he acknowledges in one tap.
    const modal = leader.locator('.ant-modal-wrap:visible');
    await modal.waitFor({ timeout: 15_000 });
    await expect.poll(() => modal.textContent()).toContain('防台风紧急通知');
    await shot(leader, 'notices-02-urgent-modal');
    await leader.getByTestId('urgent-ack').click();
    await modal.waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {});
    await leader.locator('[data-testid^="notice-acked-"]').first().waitFor({ timeout: 10_000 });
    await shot(leader, 'notices-03-acknowledged');

    // The sender's report counts it, live.
    await expect.poll(() => sender.getByTestId('report-acknowledged').textContent(), { timeout: 15_000 }).toBe('1');
    await shot(sender, 'notices-04-report');

    await senderContext.close();
    await leaderContext.close();
  });
});
