import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../server/test/server-process.ts';

const SHOTS = path.resolve('test-results/e2e');
const PASSWORD = 'E2eDemo2026';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jw-e2e-venues-'));
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

/** Tomorrow in Asia/Shanghai, 'YYYY-MM-DD' (venue times are Beijing time whatever the browser's zone). */
function tomorrowShanghai(): string {
  const day = Math.floor((Date.now() + 8 * 3600_000) / 86_400_000) + 1;
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

async function fillBooking(page: Page, date: string, purpose: string) {
  await page.getByTestId('booking-date').waitFor();
  await page.getByTestId('booking-date').fill(date);
  await page.getByTestId('booking-start').fill('10:00');
  await page.getByTestId('booking-end').fill('11:00');
  await page.getByTestId('booking-purpose').fill(purpose);
  await page.getByTestId('booking-submit').click();
}

describe('venues', () => {
  it('an admin finds a venue on the map, books a slot, and sees the conflict when booking it again', async () => {
    // A browser in another zone than the server: times must still be Beijing time.
    const page = await browser.newPage({
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Europe/Berlin',
    });
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('header-user').textContent()).toContain('王建国');

    await page.getByTestId('nav-resources').click();
    await page.getByTestId('venue-table').getByText('柯桥街道青年之家').waitFor();
    await shot(page, 'venues-01-list');

    // The map shows every demo venue; the one we want is a marker to click.
    await page.getByTestId('venue-tab-map').click();
    await expect
      .poll(async () => Number(await page.getByTestId('venue-map').getAttribute('data-venue-count')))
      .toBe(13);
    const venue = await page.evaluate(async () => {
      const res = await fetch(`/api/venues?q=${encodeURIComponent('柯桥街道青年之家')}`);
      return (await res.json()).items[0] as { id: number; name: string };
    });
    await page.locator(`path.venue-marker-${venue.id}`).waitFor();
    await shot(page, 'venues-02-map');
    await page.locator(`path.venue-marker-${venue.id}`).click({ force: true });
    const detail = page.getByTestId('venue-detail');
    await detail.getByText('柯桥街道青年之家').first().waitFor();
    await detail.getByTestId('venue-calendar').waitFor();

    // Book tomorrow 10:00–11:00.
    const date = tomorrowShanghai();
    await page.getByTestId('venue-book').click();
    await fillBooking(page, date, '青年议事会');
    await page.getByTestId('booking-date').waitFor({ state: 'detached', timeout: 10_000 });
    const booked = await page.evaluate(
      async ({ id, date }) => {
        const q = new URLSearchParams({ from: `${date}T00:00:00+08:00`, to: `${date}T23:59:00+08:00` });
        return (await (await fetch(`/api/venues/${id}/bookings?${q}`)).json()).items as {
          start: string;
          status: string;
        }[];
      },
      { id: venue.id, date },
    );
    expect(booked).toHaveLength(1);
    expect(booked[0].status).toBe('approved');
    expect(new Date(booked[0].start).toISOString()).toBe(new Date(`${date}T10:00:00+08:00`).toISOString());
    // When tomorrow lies in the week on screen, the calendar shows it in Beijing time.
    const dayCard = page.getByTestId(`venue-day-${date}`);
    if (await dayCard.count()) await expect.poll(() => dayCard.textContent()).toContain('10:00–11:00');
    await shot(page, 'venues-03-booked');

    // The same slot again: the conflict is shown plainly and nothing is booked.
    await page.getByTestId('venue-book').click();
    await fillBooking(page, date, '再订一次');
    const conflict = page.getByTestId('booking-conflict');
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain('该时段已被预订');
    await shot(page, 'venues-04-conflict');
    const after = await page.evaluate(
      async ({ id, date }) => {
        const q = new URLSearchParams({ from: `${date}T00:00:00+08:00`, to: `${date}T23:59:00+08:00` });
        return (await (await fetch(`/api/venues/${id}/bookings?${q}`)).json()).items.length as number;
      },
      { id: venue.id, date },
    );
    expect(after).toBe(1);
    await page.close();
  });
  it('an admin opens a provident-fund account, deposits, and is refused a withdrawal beyond the limit', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await page.goto(`${server.url}/login`);
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('header-user').textContent()).toContain('王建国');
    const account = await page.evaluate(async () => {
      const me = await (await fetch('/api/me')).json();
      const orgs = await (await fetch('/api/orgs?kind=village_branch&pageSize=1')).json();
      const res = await fetch('/api/funds/accounts', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: JSON.stringify({ orgId: orgs.items[0].id, year: new Date(Date.now() + 8 * 3600_000).getUTCFullYear() }),
      });
      return (await res.json()) as { id: number; orgName: string };
    });
    await page.getByTestId('nav-resources').click();
    await page.getByTestId('funds-link').click();
    await page.getByTestId(`fund-open-${account.id}`).click();
    await page
      .getByRole('button', { name: '存 入' })
      .or(page.getByRole('button', { name: '存入' }))
      .first()
      .click();
    await page.getByTestId('fund-amount').fill('1000');
    await page.locator('.ant-modal-wrap:visible .ant-modal-footer .ant-btn-primary').click();
    await expect.poll(() => page.locator('.ant-drawer').textContent()).toContain('¥1,200.00');
    await page.getByRole('button', { name: '申请提取' }).click();
    await page.getByTestId('fund-amount').fill('1300');
    await page.locator('.ant-modal-wrap:visible #purpose').fill('青年夜校');
    await page.locator('.ant-modal-wrap:visible #reference').fill('活动 #1');
    await page.locator('.ant-modal-wrap:visible .ant-modal-footer .ant-btn-primary').click();
    await expect.poll(() => page.locator('.ant-message').textContent()).toContain('超出可提取额度');
    expect(await page.locator('.ant-message').textContent()).toContain('剩余额度 ¥1,200.00');
    await shot(page, 'funds-01-refused');
    await page.close();
  });
});
