/**
 * Web mode in a real browser (Debian's Chromium through playwright-core): the built renderer loads under its
 * CSP from the printed URL, the token becomes a cookie, and the page reaches the backend over the WebSocket
 * bridge. A page of another origin cannot use the server. Needs `npm run build` (out/renderer) and Chromium.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleBackend, type ConsoleBackend } from '../app/console-backend';
import type { WebServer } from './web-server';
import { startWebServer } from './web-server';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const RENDERER = resolve(__dirname, '../../out/renderer');
const missing = CHROMIUM === undefined ? 'no Chromium (apt-get install chromium)' : !existsSync(join(RENDERER, 'index.html')) ? 'renderer not built (npm run build)' : null;

describe.skipIf(missing !== null)(`web mode in Chromium${missing ? ` (skipped: ${missing})` : ''}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-browser-'));
  let backend: ConsoleBackend;
  let server: WebServer;
  let browser: Browser;
  const kubeconfigBefore = process.env.KUBECONFIG;

  beforeAll(async () => {
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\nclusters: []\nusers: []\ncontexts: []\n');
    process.env.KUBECONFIG = kubeconfig;
    backend = createConsoleBackend({ info: { version: '7.7.7', transport: 'websocket', platform: process.platform }, stateDir: join(dir, 'state'), engineCommand: null });
    server = await startWebServer({ rendererDir: RENDERER, port: 0, dispatch: backend.dispatch, subscriptions: backend.subscriptions });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await backend?.desk.stop();
    rmSync(dir, { recursive: true, force: true });
    if (kubeconfigBefore === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = kubeconfigBefore;
  });

  it('loads from the printed URL under the CSP and talks to the backend over the WebSocket', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    const response = await page.goto(server.url);
    expect(response?.status()).toBe(200);
    expect(page.url()).toBe(`http://127.0.0.1:${server.port}/`);
    // The page asks for the version through the bridge: it can only show it if the WebSocket works.
    await page.getByText('v7.7.7').waitFor({ timeout: 15_000 });
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect(violations).toEqual([]);
    expect(server.connections).toBe(1);
    await page.close();
  });

  it('gives a page without the token nothing, and a foreign page no socket', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(`http://127.0.0.1:${server.port}/`);
    expect(response?.status()).toBe(403);
    await page.goto('data:text/html,<p>elsewhere</p>');
    const opened = await page.evaluate(
      (url) =>
        new Promise<string>((resolveOpen) => {
          const ws = new WebSocket(url);
          ws.onopen = () => resolveOpen('open');
          ws.onerror = () => resolveOpen('refused');
        }),
      `ws://127.0.0.1:${server.port}/ws?token=${server.token}`,
    );
    expect(opened).toBe('refused');
    await context.close();
  });
});
