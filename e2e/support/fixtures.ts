import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { test as base, expect } from '@playwright/test';
import type { SkiffServer } from './skiff-server';
import { startSkiffServer } from './skiff-server';

/** One `skiff serve` (with its engine) per worker; every spec opens a fresh page on it. */
export const test = base.extend<{ console: Page }, { server: SkiffServer }>({
  server: [
    async ({}, use) => {
      const server = await startSkiffServer();
      try {
        await use(server);
      } finally {
        await server.stop();
      }
    },
    { scope: 'worker', timeout: 180_000 },
  ],
  console: async ({ page, server }, use, testInfo) => {
    await page.goto(server.url);
    // The local engine's context is chosen by default once it is listed.
    await expect(page.getByTestId('context-skiff')).toHaveAttribute('aria-current', 'true', { timeout: 60_000 });
    await use(page);
    await page.screenshot({ path: testInfo.outputPath('final.png'), fullPage: true }).catch(() => undefined);
  },
});

export { expect };

/** Puts YAML into the CodeMirror editor as one edit (typing would auto-indent). */
export async function setEditorText(page: Page, text: string): Promise<void> {
  const editor = page.getByTestId('yaml-editor');
  await expect(editor).toBeVisible();
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
  await expect.poll(async () => (await editor.innerText()).replace(/\s+/g, ' ').trim()).toBe(text.replace(/\s+/g, ' ').trim());
}

/** Saves what the page downloads when `trigger` runs (the Playwright download event) and returns its name and text. */
export async function downloadText(page: Page, trigger: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), trigger()]);
  const file = test.info().outputPath(`download-${download.suggestedFilename()}`);
  await download.saveAs(file);
  return { name: download.suggestedFilename(), text: await readFile(file, 'utf8') };
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`) });
  await page.screenshot({ path: `e2e/screenshots/${name}.png` });
}

export function deploymentYaml(name: string, opts: { replicas?: number; image?: string; command?: string; namespace?: string } = {}): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${opts.namespace ?? 'default'}
spec:
  replicas: ${opts.replicas ?? 1}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
        - name: main
          image: ${opts.image ?? 'busybox:1.36'}
          command: ["sh", "-c", ${JSON.stringify(opts.command ?? 'while true; do sleep 1; done')}]
`;
}

/** Applies YAML through the editor and waits for the summary. */
export async function applyYaml(page: Page, yaml: string): Promise<void> {
  await page.getByTestId('nav-apply').click();
  // Already on the Apply view, the last apply's summary and notes stay until cleared: clear them, so that the
  // summary below is this apply's.
  await page.getByTestId('apply-view').getByRole('button', { name: 'Clear' }).click();
  await expect(page.getByTestId('apply-summary')).toHaveCount(0);
  await setEditorText(page, yaml);
  await page.getByTestId('apply-button').click();
  await expect(page.getByTestId('apply-summary')).toHaveText('Applied', { timeout: 30_000 });
}
