import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { isProcessAlive, readRuntime } from '../src-main/engine/runtime-file';
import { applyYaml, deploymentYaml, expect, shot, test } from './support/fixtures';
import { deleteObjects } from './support/cluster-cleanup';

/** The engine `skiff serve` supervises, as its runtime file names it. */
function enginePid(stateDir: string): number {
  const runtime = readRuntime(stateDir);
  if (runtime === undefined || !isProcessAlive(runtime.pid)) throw new Error(`no live engine in ${stateDir}`);
  return runtime.pid;
}

async function expectPodRunning(page: Page, prefix: string): Promise<void> {
  await page.getByTestId('nav-pods').click();
  await expect(page.getByTestId('table-body').locator(`[data-testid^="row-${prefix}-"]`).filter({ hasText: 'Running' })).toHaveCount(1, { timeout: 90_000 });
}

/** After an outage: the banner is gone, the engine is a new live process, and the pods view works again. */
async function expectRecovered(page: Page, stateDir: string, killedPid: number, survivor: string, fresh: string): Promise<void> {
  await expect(page.getByTestId('engine-banner')).toBeHidden({ timeout: 90_000 });
  await expect(page.getByTestId('engine-status')).toHaveText(/engine: running \(\d+ restarts\)/);
  const pid = enginePid(stateDir);
  expect(pid).not.toBe(killedPid);
  // The pod that ran through the outage is adopted, not replaced, and a new Deployment gets a running pod.
  await expectPodRunning(page, survivor);
  await applyYaml(page, deploymentYaml(fresh));
  await expectPodRunning(page, fresh);
}

test.describe('engine crash', () => {
  // What these tests make, deleted after each (also when one fails half-way).
  test.afterEach(async ({ server }) => {
    await deleteObjects(server.stateDir, [
    { apiVersion: 'apps/v1', kind: 'Deployment', name: 'survivor', namespace: 'default' },
    { apiVersion: 'apps/v1', kind: 'Deployment', name: 'after-crash', namespace: 'default' },
    { apiVersion: 'apps/v1', kind: 'Deployment', name: 'outlast', namespace: 'default' },
    { apiVersion: 'apps/v1', kind: 'Deployment', name: 'after-restart-now', namespace: 'default' },
    ]);
  });


  test('kill -9 of the engine: a banner names the crash and the restart attempt, and the console recovers by itself', async ({ console: page, server }) => {
    await applyYaml(page, deploymentYaml('survivor'));
    await expectPodRunning(page, 'survivor');
    const pid = enginePid(server.stateDir);

    process.kill(pid, 'SIGKILL');
    const banner = page.getByTestId('engine-banner');
    await expect(banner).toBeVisible();
    await expect(banner.getByTestId('engine-banner-reason')).toHaveText('the engine was killed (SIGKILL)');
    await expect(banner.getByTestId('engine-banner-attempt')).toContainText(/Restart attempt 1 (in \d+ s \(backoff \d+ s|is running)/);
    await expect(page.getByTestId('engine-status')).toHaveText(/engine: (crashed|restarting)/);
    await shot(page, 'engine-crash-banner');

    await expectRecovered(page, server.stateDir, pid, 'survivor', 'after-crash');
    await shot(page, 'engine-crash-recovered');
  });

  test('restarts that keep failing show each reason and a growing backoff; Restart now brings the engine back at once', async ({ console: page, server }) => {
    await applyYaml(page, deploymentYaml('outlast'));
    await expectPodRunning(page, 'outlast');
    const pid = enginePid(server.stateDir);
    // Another live process (this test's) holds the state dir's lock: every restart of the engine is refused.
    const lock = path.join(server.stateDir, 'engine.pid');
    writeFileSync(lock, String(process.pid));
    const releaseLock = (): void => {
      try {
        if (readFileSync(lock, 'utf8').trim() === String(process.pid)) unlinkSync(lock);
      } catch {
        // already gone
      }
    };
    try {
      process.kill(pid, 'SIGKILL');
      const banner = page.getByTestId('engine-banner');
      await expect(banner).toBeVisible();
      await expect(banner.getByTestId('engine-banner-reason')).toContainText(`the engine exited with code 1: skiff: an engine is already running for this state dir (pid ${process.pid}`, { timeout: 30_000 });
      // Wait for a backoff long enough that the click below beats the next automatic attempt by far.
      const attempt = banner.getByTestId('engine-banner-attempt');
      await expect(attempt).toContainText(/Restart attempt \d+ in \d+ s \(backoff (1[6-9]|[2-9]\d) s/, { timeout: 90_000 });
      const [, number, left] = /Restart attempt (\d+) in (\d+) s/.exec(await attempt.innerText()) ?? [];
      expect(Number(number)).toBeGreaterThanOrEqual(3);

      // The console is not frozen during the outage: the palette opens, the theme switches.
      await page.keyboard.press('ControlOrMeta+k');
      await expect(page.getByTestId('command-palette')).toBeVisible();
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('command-palette')).toBeHidden();
      await page.getByTestId('theme-toggle').click();
      await expect(page.locator('html')).toHaveClass(/dark/);
      await page.getByTestId('theme-toggle').click();
      await shot(page, 'engine-restart-failing');

      releaseLock();
      const clicked = Date.now();
      await banner.getByTestId('engine-restart-now').click();
      // Back well before the automatic attempt was due.
      await expect(banner).toBeHidden({ timeout: Math.max(1000, (Number(left) - 4) * 1000) });
      expect(Date.now() - clicked).toBeLessThan(Number(left) * 1000);
      await expectRecovered(page, server.stateDir, pid, 'outlast', 'after-restart-now');
      await shot(page, 'engine-restart-now-recovered');
    } finally {
      releaseLock();
    }
  });
});
