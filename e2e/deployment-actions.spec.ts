import type { Page } from '@playwright/test';
import { applyYaml, deploymentYaml, expect, shot, test } from './support/fixtures';
import { deleteObjects } from './support/cluster-cleanup';

async function openDeployment(page: Page, name: string): Promise<void> {
  await page.getByTestId('nav-deployments').click();
  await page.getByTestId(`row-${name}`).click();
  await expect(page.getByTestId('deployment-panel')).toBeVisible();
}

/** The Deployment's YAML as the server has it now (the panel's YAML tab, read again). */
async function deploymentYamlText(page: Page): Promise<string> {
  const panel = page.getByTestId('deployment-panel');
  await panel.getByRole('tab', { name: 'YAML' }).click();
  await panel.getByRole('button', { name: 'Refresh' }).click();
  const yaml = panel.getByTestId('object-yaml');
  await expect(yaml).toBeVisible();
  const text = await yaml.innerText();
  await panel.getByRole('tab', { name: 'Details' }).click();
  return text;
}

test.describe('deployment actions', () => {
  // What these tests make, deleted after each (also when one fails half-way).
  test.afterEach(async ({ server }) => {
    await deleteObjects(server.stateDir, [
    { apiVersion: 'apps/v1', kind: 'Deployment', name: 'restartable', namespace: 'default' },
    { apiVersion: 'apps/v1', kind: 'Deployment', name: 'versions', namespace: 'default' },
    ]);
  });


  test('Restart replaces every pod (restartedAt annotation, a new revision); Pause and Resume flip spec.paused', async ({ console: page }) => {
    await applyYaml(page, deploymentYaml('restartable', { replicas: 2 }));
    await openDeployment(page, 'restartable');
    const panel = page.getByTestId('deployment-panel');
    const running = panel.locator('[data-testid="deployment-pod"][data-status="Running"]');
    await expect(running).toHaveCount(2, { timeout: 60_000 });
    await expect(panel.getByTestId('rollout-progress')).toContainText('Rolled out: revision 1', { timeout: 60_000 });
    const before = await running.allInnerTexts();
    expect(await deploymentYamlText(page)).not.toContain('kubectl.kubernetes.io/restartedAt');

    await panel.getByTestId('restart').click();
    await expect(page.getByRole('dialog')).toContainText('Restart restartable?');
    await page.getByTestId('confirm').click();
    await expect(panel.getByTestId('revision-history').getByTestId('revision-2')).toBeVisible({ timeout: 30_000 });
    await expect(panel.getByTestId('rollout-progress')).toContainText('Rolled out: revision 2', { timeout: 90_000 });
    const restartedAt = /kubectl\.kubernetes\.io\/restartedAt: "?([^"\n]+)"?/.exec(await deploymentYamlText(page))?.[1];
    expect(Number.isNaN(Date.parse(restartedAt ?? ''))).toBe(false);
    // Two running pods again, none of them from before the restart.
    await expect(async () => {
      const names = (await running.allInnerTexts()).map((t) => t.split(/\s/)[0]);
      expect(names).toHaveLength(2);
      for (const name of names) expect(before.map((t) => t.split(/\s/)[0])).not.toContain(name);
    }).toPass({ timeout: 90_000 });
    await shot(page, 'deployment-restarted');

    await panel.getByTestId('pause-toggle').click();
    await expect(panel.getByTestId('pause-toggle')).toHaveText('Resume');
    await expect(panel.getByTestId('rollout-progress')).toContainText('Paused');
    await expect(page.getByTestId('row-restartable')).toContainText('Paused');
    expect(await deploymentYamlText(page)).toMatch(/\n {2}paused: true\n/);
    await shot(page, 'deployment-paused');

    await panel.getByTestId('pause-toggle').click();
    await expect(panel.getByTestId('pause-toggle')).toHaveText('Pause');
    await expect(panel.getByTestId('rollout-progress')).not.toContainText('Paused');
    await expect(page.getByTestId('row-restartable')).not.toContainText('Paused');
    expect(await deploymentYamlText(page)).not.toMatch(/\n {2}paused: true\n/);
  });

  test('the diff between two revisions chosen by hand, neither of them the current one', async ({ console: page }) => {
    const command = (version: string): string => `echo running ${version}; while true; do sleep 1; done`;
    await applyYaml(page, deploymentYaml('versions', { command: command('alpha-one') }));
    await applyYaml(page, deploymentYaml('versions', { command: command('beta-two') }));
    await applyYaml(page, deploymentYaml('versions', { command: command('gamma-three') }));
    await openDeployment(page, 'versions');
    const panel = page.getByTestId('deployment-panel');
    const history = panel.getByTestId('revision-history');
    await expect(history.getByTestId('revision-3')).toBeVisible({ timeout: 60_000 });
    await expect(history.getByTestId('revision-1')).toBeVisible();
    const diff = panel.getByTestId('revision-diff');
    // By default: the newest other revision against the current one.
    await expect(diff).toContainText('revision 2 → revision 3');

    await history.getByRole('radio', { name: 'compare from revision 1' }).check();
    await history.getByRole('radio', { name: 'compare to revision 2' }).check();
    await expect(diff).toContainText('revision 1 → revision 2');
    await expect(diff.locator('[data-op="remove"]')).toContainText('alpha-one');
    await expect(diff.locator('[data-op="add"]')).toContainText('beta-two');
    await expect(diff).not.toContainText('gamma-three');
    await shot(page, 'revision-diff-1-2');

    // And the other way round.
    await history.getByRole('radio', { name: 'compare from revision 2' }).check();
    await history.getByRole('radio', { name: 'compare to revision 1' }).check();
    await expect(diff).toContainText('revision 2 → revision 1');
    await expect(diff.locator('[data-op="remove"]')).toContainText('beta-two');
    await expect(diff.locator('[data-op="add"]')).toContainText('alpha-one');
  });
});
