import { applyYaml, deploymentYaml, expect, shot, test } from './support/fixtures';

test.describe('deployments', () => {
  test('apply a Deployment from the editor and see it in the table', async ({ console: page }) => {
    await applyYaml(page, deploymentYaml('applied'));
    await expect(page.getByTestId('yaml-ok').first()).toContainText('Deployment/applied created');
    await shot(page, 'apply-deployment');
    await page.getByTestId('nav-deployments').click();
    await expect(page.getByTestId('row-applied')).toBeVisible();
    await page.getByTestId('nav-pods').click();
    await expect(page.getByTestId('table-body').locator('[data-testid^="row-applied-"]').first()).toContainText('Running', { timeout: 60_000 });
    await shot(page, 'apply-deployment-pods');
  });

  test('drag the replicas slider from 1 to 4 and see four Running pods', async ({ console: page }) => {
    await applyYaml(page, deploymentYaml('scaled'));
    await page.getByTestId('nav-deployments').click();
    await page.getByTestId('row-scaled').click();
    const panel = page.getByTestId('deployment-panel');
    await expect(panel.getByTestId('deployment-pod')).toHaveCount(1);
    const slider = panel.getByTestId('replicas-slider');
    await expect(slider).toHaveValue('1');
    // Drag the thumb with the mouse, as a user would: from its position to the one of value 4.
    const box = await slider.boundingBox();
    if (box === null) throw new Error('slider not laid out');
    const max = Number(await slider.getAttribute('max'));
    const at = (value: number): number => box.x + 8 + ((box.width - 16) * value) / max;
    await page.mouse.move(at(1), box.y + box.height / 2);
    await page.mouse.down();
    for (const value of [2, 3, 4]) await page.mouse.move(at(value), box.y + box.height / 2, { steps: 4 });
    await page.mouse.up();
    await expect(slider).toHaveValue('4');
    await expect(panel.getByTestId('replicas-value')).toHaveText('4 replicas');
    await expect(panel.locator('[data-testid="deployment-pod"][data-status="Running"]')).toHaveCount(4, { timeout: 90_000 });
    await expect(page.getByTestId('row-scaled')).toContainText('4/4');
    await shot(page, 'scale-1-to-4');
  });

  test('change the image, then roll back with the button and see the old image running', async ({ console: page }) => {
    await applyYaml(page, deploymentYaml('rolled', { image: 'busybox:1.36' }));
    await page.getByTestId('nav-deployments').click();
    await page.getByTestId('row-rolled').click();
    const panel = page.getByTestId('deployment-panel');
    await expect(panel.locator('[data-testid="deployment-pod"][data-status="Running"]')).toHaveCount(1, { timeout: 60_000 });

    await applyYaml(page, deploymentYaml('rolled', { image: 'skiff-test/busybox:1' }));
    await expect(page.getByTestId('yaml-ok').first()).toContainText('configured');
    await page.getByTestId('nav-deployments').click();
    await page.getByTestId('row-rolled').click();
    await expect(page.getByTestId('row-rolled')).toContainText('skiff-test/busybox:1');
    const history = panel.getByTestId('revision-history');
    await expect(history.getByTestId('revision-2')).toContainText('skiff-test/busybox:1', { timeout: 30_000 });
    await expect(panel.getByTestId('rollout-progress')).toContainText('Rolled out: revision 2', { timeout: 90_000 });
    // The diff of the two pod templates shows the image change.
    await expect(panel.getByTestId('revision-diff').locator('[data-op="remove"]')).toContainText('busybox:1.36');
    await expect(panel.getByTestId('revision-diff').locator('[data-op="add"]')).toContainText('skiff-test/busybox:1');
    await shot(page, 'rollout-history-diff');

    await history.getByTestId('rollback-1').click();
    await expect(page.getByRole('dialog')).toContainText('Roll back rolled to revision 1?');
    await page.getByTestId('confirm').click();
    await expect(panel.getByTestId('rollout-progress')).toContainText('Rolled out: revision 3', { timeout: 90_000 });
    await expect(history.getByTestId('revision-3')).toContainText('busybox:1.36');
    await expect(page.getByTestId('row-rolled')).toContainText('busybox:1.36');

    // The running pod carries the old image. The pods feed and the deployment feed are separate watches, so
    // the panel may still list the replaced pod as Running for a moment after "Rolled out": look again until
    // the one Running pod is the rolled-back one.
    const pods = panel.locator('[data-testid="deployment-pod"][data-status="Running"]');
    await expect(async () => {
      // Clicking a pod opens its detail in place of the deployment panel: open the deployment again each time.
      await page.getByTestId('nav-deployments').click();
      await page.getByTestId('row-rolled').click();
      await expect(pods).toHaveCount(1, { timeout: 5_000 });
      await pods.first().getByRole('button').click({ timeout: 5_000 });
      await expect(page.getByTestId('pod-detail').getByTestId('container-image')).toHaveText('busybox:1.36', { timeout: 5_000 });
    }).toPass({ timeout: 90_000 });
    await shot(page, 'rollback-old-image');
  });
});
