import type { Page } from '@playwright/test';
import { applyYaml, downloadText, expect, shot, test } from './support/fixtures';
import { deleteObjects } from './support/cluster-cleanup';

/** A pod's row in the pods view, once Running with `restarts` restarts, opened in the detail panel. */
async function openRunningPod(page: Page, prefix: string, restarts: number): Promise<void> {
  await page.getByTestId('nav-pods').click();
  await page.getByTestId('namespace-select').selectOption('default');
  const row = page.getByTestId('table-body').locator(`[data-testid^="row-${prefix}"]`);
  await expect(row).toHaveCount(1, { timeout: 60_000 });
  // Restarts is the fourth column of the pods table in one namespace (name, ready, status, restarts, …).
  await expect(row.getByRole('gridcell').nth(3)).toHaveText(String(restarts), { timeout: 90_000 });
  await expect(row).toContainText('Running', { timeout: 60_000 });
  await row.click();
  await expect(page.getByTestId('pod-detail')).toBeVisible();
}

test.describe('more logs', () => {
  // What these tests make, deleted after each (also when one fails half-way).
  test.afterEach(async ({ server }) => {
    await deleteObjects(server.stateDir, [
    { apiVersion: 'apps/v1', kind: 'Deployment', name: 'phoenix', namespace: 'default' },
    { apiVersion: 'v1', kind: 'Pod', name: 'duo', namespace: 'default' },
    ]);
  });


  test('previous container: the logs of the run before the restart, and their download', async ({ console: page }) => {
    // The first run fails after two lines; the second keeps running. An emptyDir counts the runs across restarts.
    const script = 'n=$(cat /state/runs 2>/dev/null || echo 0); n=$((n+1)); echo $n > /state/runs; echo "run $n started"; if [ $n -eq 1 ]; then echo "run 1 fails now"; exit 3; fi; while true; do sleep 1; done';
    await applyYaml(
      page,
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: phoenix
  namespace: default
spec:
  replicas: 1
  selector:
    matchLabels: {app: phoenix}
  template:
    metadata:
      labels: {app: phoenix}
    spec:
      terminationGracePeriodSeconds: 1
      volumes: [{name: state, emptyDir: {}}]
      containers:
        - name: main
          image: busybox:1.36
          volumeMounts: [{name: state, mountPath: /state}]
          command: ["sh", "-c", ${JSON.stringify(script)}]
`,
    );
    await openRunningPod(page, 'phoenix-', 1);
    // The container's last state is the failed run.
    await expect(page.getByTestId('container-main')).toContainText('Terminated: Error, exit code 3');
    await page.getByTestId('container-main').getByRole('button', { name: 'Logs' }).click();
    const view = page.getByTestId('log-lines');
    await expect(view).toContainText('run 2 started', { timeout: 30_000 });
    await expect(view).not.toContainText('run 1');

    await page.getByTestId('log-previous').check();
    await expect(view).toContainText('run 1 fails now', { timeout: 30_000 });
    await expect(page.getByTestId('log-line')).toHaveText(['run 1 started', 'run 1 fails now']);
    await shot(page, 'logs-previous');
    const saved = await downloadText(page, () => page.getByTestId('log-download').click());
    expect(saved.name).toMatch(/^phoenix-.+-main\.log$/);
    expect(saved.text).toBe('run 1 started\nrun 1 fails now');

    await page.getByTestId('log-previous').uncheck();
    await expect(view).toContainText('run 2 started', { timeout: 30_000 });
    await expect(view).not.toContainText('run 1');
  });

  test('all containers of a pod, merged and tagged with the container; the download holds them, filtered as shown', async ({ console: page }) => {
    await applyYaml(
      page,
      `apiVersion: v1
kind: Pod
metadata:
  name: duo
  namespace: default
spec:
  terminationGracePeriodSeconds: 1
  containers:
    - name: left
      image: busybox:1.36
      command: ["sh", "-c", "i=0; while true; do i=$((i+1)); echo \\"from left $i\\"; sleep 0.5; done"]
    - name: right
      image: busybox:1.36
      command: ["sh", "-c", "i=0; while true; do i=$((i+1)); echo \\"from right $i\\"; sleep 0.5; done"]
`,
    );
    await openRunningPod(page, 'duo', 0);
    await page.getByTestId('pod-detail').getByRole('button', { name: 'All logs' }).click();
    await expect(page.getByTestId('log-container')).toHaveValue('');
    await expect(page.getByTestId('log-status')).toContainText('duo/left: streaming', { timeout: 30_000 });
    await expect(page.getByTestId('log-status')).toContainText('duo/right: streaming');
    const lines = page.getByTestId('log-line');
    // Each line is tagged with its container; both containers appear.
    await expect(async () => {
      const texts = (await lines.allInnerTexts()).map((t) => t.trim());
      expect(texts.length).toBeGreaterThan(4);
      for (const text of texts) expect(text).toMatch(/^(left|right)\s*from \1 \d+$/);
      expect(new Set(texts.map((t) => /^(left|right)/.exec(t)?.[1]))).toEqual(new Set(['left', 'right']));
    }).toPass({ timeout: 30_000 });
    await shot(page, 'logs-all-containers');

    const all = await downloadText(page, () => page.getByTestId('log-download').click());
    expect(all.name).toBe('duo.log');
    const allLines = all.text.split('\n');
    for (const line of allLines) expect(line).toMatch(/^\[duo\/(left|right)\] from \1 \d+$/);
    expect(allLines.some((l) => l.startsWith('[duo/left]'))).toBe(true);
    expect(allLines.some((l) => l.startsWith('[duo/right]'))).toBe(true);

    // Filtering narrows the download to what the view shows.
    await page.getByTestId('log-filter').fill('from right');
    await expect(page.getByTestId('log-count')).toContainText('match');
    const filtered = await downloadText(page, () => page.getByTestId('log-download').click());
    const filteredLines = filtered.text.split('\n');
    expect(filteredLines.length).toBeGreaterThan(0);
    for (const line of filteredLines) expect(line).toMatch(/^\[duo\/right\] from right \d+$/);

    // One container only: its lines, untagged.
    await page.getByTestId('log-filter').fill('');
    await page.getByTestId('log-container').selectOption('left');
    await expect(async () => {
      const texts = (await lines.allInnerTexts()).map((t) => t.trim());
      expect(texts.length).toBeGreaterThan(0);
      for (const text of texts) expect(text).toMatch(/^from left \d+$/);
    }).toPass({ timeout: 30_000 });
  });
});
