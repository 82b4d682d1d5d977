import type { Page } from '@playwright/test';
import { applyYaml, expect, shot, test } from './support/fixtures';

// busybox httpd behind a Service whose targetPort is a port *name*: the forward must resolve it to 8080.
const HELLO = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hello
  namespace: default
spec:
  replicas: 1
  selector:
    matchLabels: {app: hello}
  template:
    metadata:
      labels: {app: hello}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
        - name: httpd
          image: busybox:1.36
          command: ["httpd", "-f", "-p", "8080", "-h", "/var/www"]
          ports:
            - {name: http, containerPort: 8080}
---
apiVersion: v1
kind: Service
metadata:
  name: hello
  namespace: default
spec:
  selector: {app: hello}
  ports:
    - {name: web, port: 80, targetPort: http}
`;

async function openService(page: Page): Promise<void> {
  await page.getByTestId('nav-services').click();
  await page.getByTestId('row-hello').click();
  await expect(page.getByTestId('service-panel')).toBeVisible();
  // Wait for the httpd pod to be a ready endpoint.
  await expect(page.getByTestId('service-endpoint').filter({ hasText: 'yes' })).toHaveCount(1, { timeout: 90_000 });
}

/** Whether anything answers on the URL now (a stopped forward refuses the connection). */
async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    await res.text();
    return true;
  } catch {
    return false;
  }
}

test.describe('services: open in browser', () => {
  test('a Service port opens in a new tab through a port-forward to its pod, and stops on request', async ({ console: page }) => {
    await applyYaml(page, HELLO);
    await openService(page);
    // The engine serves custom.metrics.k8s.io (requests_per_second), so the panel shows no "not available" hint.
    await expect(page.getByTestId('service-endpoints')).toContainText('Requests/s');
    await expect(page.getByTestId('service-requests-hint')).toHaveCount(0);

    const popup = page.waitForEvent('popup');
    await page.getByTestId('open-port-80').click();
    const tab = await popup;
    await tab.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/$/, { timeout: 30_000 });
    await expect(tab.locator('body')).toContainText('hello from skiff-test');
    await tab.screenshot({ path: 'e2e/screenshots/port-forward-tab.png' });
    await tab.screenshot({ path: test.info().outputPath('port-forward-tab.png') });

    const link = page.getByTestId('forward-url-80');
    await expect(link).toHaveText(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const url = (await link.innerText()).trim();
    expect(url).toBe(tab.url());
    await expect(page.getByTestId('forward-80')).toContainText(/pod hello-[a-z0-9-]+:8080/);
    await shot(page, 'port-forward-service');
    // A second request over a new connection works too (each connection is its own forward stream).
    expect(await (await fetch(url)).text()).toContain('hello from skiff-test');

    // Opening again reuses the forward.
    const again = page.waitForEvent('popup');
    await page.getByTestId('open-port-80').click();
    const tab2 = await again;
    await tab2.waitForURL(url);
    await tab2.close();
    await tab.close();

    await page.getByTestId('stop-forward-80').click();
    await expect(page.getByTestId('forward-80')).toBeHidden();
    await expect.poll(() => answers(url), { timeout: 10_000 }).toBe(false);
  });

  test("closing the console stops its forwards; the pod panel charts CPU and memory from the engine's metrics API", async ({ console: page, context, server }) => {
    await applyYaml(page, HELLO);
    const other = await context.newPage();
    await other.goto(server.url);
    await expect(other.getByTestId('context-skiff')).toHaveAttribute('aria-current', 'true', { timeout: 60_000 });
    await openService(other);
    const popup = other.waitForEvent('popup');
    await other.getByTestId('open-port-80').click();
    await (await popup).close();
    const url = (await other.getByTestId('forward-url-80').innerText()).trim();
    expect(await answers(url)).toBe(true);
    await other.close();
    // The page's WebSocket is gone: the backend disposes its subscriptions, the forward among them.
    await expect.poll(() => answers(url), { timeout: 15_000 }).toBe(false);

    // Pod usage: the engine serves metrics.k8s.io (a running pod has usage from the engine's first stats sample of
    // it), so the panel charts it. A cluster without the API is the sampler's unit test (pod-metrics-sampler.test.ts).
    await page.getByTestId('nav-pods').click();
    await page.getByTestId('table-body').locator('[data-testid^="row-hello-"]').first().click();
    await expect(page.getByTestId('pod-usage')).toBeVisible();
    await expect(page.getByTestId('pod-usage-cpu')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('pod-usage-memory')).toBeVisible();
    await expect(page.getByTestId('pod-usage-unavailable')).toHaveCount(0);
    await shot(page, 'pod-usage');
  });
});
