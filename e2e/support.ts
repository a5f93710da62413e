// Shared setup of the browser tests that start their own server (grids, assessments).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { type ServerProcess, startServer } from '../server/test/server-process.ts';
import { E2E_PASSWORD } from './global-setup.ts';

export const SHOTS = path.resolve('test-results/e2e');
export const PASSWORD = E2E_PASSWORD;

/** A fresh data dir holding a copy of the seeded demo database made once by e2e/global-setup.ts. */
export function seededDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jw-e2e-'));
  fs.cpSync(inject('e2eTemplateDir'), dir, { recursive: true });
  return dir;
}

export type E2eEnv = { server: ServerProcess; browser: Browser; close(): Promise<void> };

/** A fresh `jingwei serve` on a temporary data dir (demo district seeded) and a headless Chromium. */
export async function startE2e(): Promise<E2eEnv> {
  fs.mkdirSync(SHOTS, { recursive: true });
  const dataDir = seededDataDir();
  const [server, browser] = await Promise.all([
    startServer({ JINGWEI_DATA_DIR: dataDir, JINGWEI_DEMO_PASSWORD: PASSWORD }),
    chromium.launch({
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
    }),
  ]);
  return {
    server,
    browser,
    async close() {
      await browser.close();
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Logs in through the login page and waits until the console shows the account. */
export async function login(page: Page, url: string, username: string, password = PASSWORD) {
  await page.goto(`${url}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('header-user').waitFor();
}

export async function logout(page: Page) {
  await page.getByTestId('logout').click();
  await page.getByTestId('login-username').waitFor();
}

/** Calls the API from inside the page, with the page's session cookie and CSRF token. */
export async function apiInPage(page: Page, method: string, url: string, body?: unknown): Promise<any> {
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
