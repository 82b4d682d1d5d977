import type { Page } from '@playwright/test';
import { applyYaml, deploymentYaml, expect, shot, test } from './support/fixtures';

/** More than the follow tolerance: the view did not jump back to the bottom. */
const LINE_SLACK = 18;

async function openPod(page: Page, prefix: string): Promise<void> {
  await page.getByTestId('nav-pods').click();
  const row = page.getByTestId('table-body').locator(`[data-testid^="row-${prefix}-"]`).filter({ hasText: 'Running' }).first();
  await expect(row).toBeVisible({ timeout: 60_000 });
  await row.click();
  await expect(page.getByTestId('pod-detail')).toBeVisible();
}

test.describe('logs and shell', () => {
  test('follow logs: a line printed after the view opened appears; the filter shows only matching lines', async ({ console: page }) => {
    // Prints a numbered tick every 0.5 s, and a "boom" line every fifth tick.
    const command = 'i=0; while true; do i=$((i+1)); echo "tick $i"; if [ $((i % 5)) -eq 0 ]; then echo "boom $i"; fi; sleep 0.5; done';
    await applyYaml(page, deploymentYaml('talker', { command }));
    await openPod(page, 'talker');
    await page.getByTestId('container-main').getByRole('button', { name: 'Logs' }).click();
    const lines = page.getByTestId('log-line');
    await expect(lines.first()).toBeVisible({ timeout: 30_000 });
    // The last tick on screen now, then a later one must arrive by itself (follow, no reload).
    const lastText = (await lines.last().innerText()).trim();
    const lastTick = Number(/tick (\d+)/.exec(lastText)?.[1] ?? /boom (\d+)/.exec(lastText)?.[1] ?? '0');
    await expect(page.getByTestId('log-lines')).toContainText(`tick ${lastTick + 3}`, { timeout: 30_000 });
    await shot(page, 'logs-follow');

    await page.getByTestId('log-filter').fill('boom');
    await expect(lines.first()).toContainText('boom');
    const texts = await lines.allInnerTexts();
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) expect(text).toContain('boom');
    await expect(page.getByTestId('log-count')).toContainText('match');
    await shot(page, 'logs-filter');

    // Scrolling up pauses following; Resume follows again.
    await page.getByTestId('log-filter').fill('');
    await expect(async () => {
      const scrollable = await page.getByTestId('log-lines').evaluate((el) => el.scrollHeight > el.clientHeight + 40);
      expect(scrollable).toBe(true);
    }).toPass({ timeout: 60_000 });
    await page.getByTestId('log-lines').hover();
    await page.mouse.wheel(0, -600);
    await expect(page.getByTestId('log-resume')).toBeVisible();
    // Paused: the view stays where the user put it while new lines are counted.
    await expect(page.getByTestId('log-resume')).toContainText('new lines', { timeout: 10_000 });
    expect(await page.getByTestId('log-lines').evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight)).toBeGreaterThan(LINE_SLACK);
    await shot(page, 'logs-paused');
    await page.getByTestId('log-resume').click();
    await expect(page.getByTestId('log-resume')).toBeHidden();
  });

  test('merged logs of every pod of a Deployment', async ({ console: page }) => {
    await applyYaml(page, deploymentYaml('chorus', { replicas: 2, command: 'while true; do echo "from $HOSTNAME"; sleep 1; done' }));
    await page.getByTestId('nav-deployments').click();
    await page.getByTestId('row-chorus').click();
    await expect(page.getByTestId('deployment-panel').locator('[data-testid="deployment-pod"][data-status="Running"]')).toHaveCount(2, { timeout: 60_000 });
    await page.getByTestId('deployment-logs').click();
    const view = page.getByTestId('log-lines');
    const pods = await page.getByTestId('log-status').innerText();
    expect(pods).toBeDefined();
    await expect(async () => {
      const text = await view.innerText();
      const sources = new Set([...text.matchAll(/from (chorus-\S+)/g)].map((m) => m[1]));
      expect(sources.size).toBe(2);
    }).toPass({ timeout: 30_000 });
    await shot(page, 'logs-deployment-merged');
  });

  test('run a command in the shell', async ({ console: page }) => {
    await applyYaml(page, deploymentYaml('shelly'));
    await openPod(page, 'shelly');
    await page.getByTestId('container-main').getByRole('button', { name: 'Shell' }).click();
    await expect(page.getByTestId('shell-status')).toContainText('connected to main', { timeout: 30_000 });
    const terminal = page.getByTestId('terminal');
    await terminal.click();
    await page.keyboard.type('echo "sum=$((40+2))"\n');
    await expect(terminal.locator('.xterm-rows')).toContainText('sum=42', { timeout: 20_000 });
    await shot(page, 'shell-command');
    await page.keyboard.type('exit 3\n');
    await expect(page.getByTestId('shell-exit')).toContainText('exited with code 3', { timeout: 20_000 });
  });
});
