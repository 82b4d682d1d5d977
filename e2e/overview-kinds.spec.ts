import type { Page } from '@playwright/test';
import { applyYaml, deploymentYaml, expect, shot, test } from './support/fixtures';
import { deleteObjects } from './support/cluster-cleanup';

function namespaceYaml(name: string): string {
  return `apiVersion: v1
kind: Namespace
metadata:
  name: ${name}
`;
}

/** A kind's view in one namespace (cluster-scoped kinds ignore it). */
async function openKind(page: Page, kind: string, namespace: string | null): Promise<void> {
  await page.getByTestId(`nav-${kind}`).click();
  if (namespace !== null) await page.getByTestId('namespace-select').selectOption(namespace);
}

test.describe('overview and kind views', () => {
  // What these tests make, deleted after each (also when one fails half-way).
  test.afterEach(async ({ server }) => {
    await deleteObjects(server.stateDir, [
    { apiVersion: 'v1', kind: 'Namespace', name: 'overview-e2e' },
    { apiVersion: 'v1', kind: 'Namespace', name: 'kinds-e2e' },
    ]);
  });


  test('Overview: per-namespace counts and health, and a recent Warning', async ({ console: page }) => {
    const ns = 'overview-e2e';
    await applyYaml(
      page,
      [
        namespaceYaml(ns),
        deploymentYaml('steady', { namespace: ns, replicas: 2 }),
        deploymentYaml('crashy', { namespace: ns, command: 'echo giving up; exit 1' }),
      ].join('---\n'),
    );
    await page.getByTestId('nav-overview').click();
    await page.getByTestId('namespace-select').selectOption('');
    const card = page.getByTestId(`ns-card-${ns}`);
    await expect(card).toContainText('3 pods: 2 running, 1 failing', { timeout: 90_000 });
    await expect(card).toContainText('1/2 deployments ready');
    await expect(card).toContainText('failing');
    // The crash loop's back-off is a recent warning, named after the pod it is about.
    const warning = page.getByTestId('warnings').locator('li').filter({ hasText: `${ns}/Pod/crashy-` });
    await expect(warning.filter({ hasText: 'BackOff' }).first()).toContainText('Back-off restarting failed container main', { timeout: 90_000 });
    await shot(page, 'overview');
    // Only warnings are listed: the Normal events of the healthy pods are not.
    await expect(page.getByTestId('warnings').locator('li').filter({ hasText: `${ns}/Pod/steady-` })).toHaveCount(0);

    // The namespace filter narrows the overview to that namespace.
    await page.getByTestId('namespace-select').selectOption(ns);
    await expect(page.getByTestId('overview').locator('[data-testid^="ns-card-"]')).toHaveCount(1);
    await expect(card).toBeVisible();
  });

  test('ReplicaSets, Events, HPAs, Namespaces, Nodes and PVCs each list a real object', async ({ console: page }) => {
    const ns = 'kinds-e2e';
    await applyYaml(
      page,
      [
        namespaceYaml(ns),
        deploymentYaml('listed', { namespace: ns }),
        `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: listed-hpa
  namespace: ${ns}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: listed}
  minReplicas: 1
  maxReplicas: 3
  metrics:
    - type: Resource
      resource:
        name: cpu
        target: {type: Utilization, averageUtilization: 50}
`,
        `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: listed-claim
  namespace: ${ns}
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests: {storage: 16Mi}
`,
      ].join('---\n'),
    );

    await openKind(page, 'namespaces', null);
    await expect(page.getByTestId(`row-${ns}`)).toContainText('Active');

    await openKind(page, 'replicasets', ns);
    const rs = page.getByTestId('table-body').locator('[data-testid^="row-listed-"]');
    await expect(rs).toHaveCount(1);
    await expect(rs).toContainText('Deployment/listed');
    // desired, current, ready
    await expect(rs.getByRole('gridcell').nth(1)).toHaveText('1');
    await expect(rs.getByRole('gridcell').nth(3)).toHaveText('1', { timeout: 60_000 });
    await shot(page, 'view-replicasets');

    await openKind(page, 'events', ns);
    const started = page.getByTestId('table-body').getByRole('row').filter({ hasText: 'Started' }).filter({ hasText: 'Pod/listed-' });
    await expect(started.first()).toContainText('Started container main', { timeout: 60_000 });
    const scaled = page.getByTestId('table-body').getByRole('row').filter({ hasText: 'ScalingReplicaSet' });
    await expect(scaled.first()).toContainText('Deployment/listed');
    await shot(page, 'view-events');

    await openKind(page, 'hpa', ns);
    const hpa = page.getByTestId('row-listed-hpa');
    await expect(hpa).toContainText('Deployment/listed');
    await expect(hpa).toContainText('1/3');
    await shot(page, 'view-hpas');

    await openKind(page, 'pvcs', ns);
    const claim = page.getByTestId('row-listed-claim');
    await expect(claim).toContainText('Bound', { timeout: 60_000 });
    await expect(claim).toContainText('ReadWriteOnce');
    await expect(claim).toContainText('16Mi');
    await shot(page, 'view-pvcs');

    // The node the Deployment's pod runs on is listed, Ready.
    await openKind(page, 'pods', ns);
    const pod = page.getByTestId('table-body').locator('[data-testid^="row-listed-"]').filter({ hasText: 'Running' });
    await expect(pod).toHaveCount(1, { timeout: 60_000 });
    await openKind(page, 'nodes', null);
    const nodes = page.getByTestId('table-body').getByRole('row');
    await expect(nodes).toHaveCount(1);
    await expect(nodes.first()).toContainText('Ready');
    const nodeName = (await nodes.first().getAttribute('data-testid'))?.replace(/^row-/, '') ?? '';
    expect(nodeName).not.toBe('');
    await shot(page, 'view-nodes');
    await openKind(page, 'pods', ns);
    await expect(pod).toContainText(nodeName);
  });
});
