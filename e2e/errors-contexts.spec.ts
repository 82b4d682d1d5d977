import { UNREACHABLE_CONTEXT } from './support/skiff-server';
import { applyYaml, deploymentYaml, expect, setEditorText, shot, test } from './support/fixtures';

test.describe('errors and contexts', () => {
  test('a YAML error is shown inline next to its document', async ({ console: page }) => {
    await page.getByTestId('nav-apply').click();
    const good = `apiVersion: v1
kind: ConfigMap
metadata:
  name: fine
  namespace: default
data:
  a: "1"
`;
    const invalid = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: Bad_Name
  namespace: default
spec:
  selector:
    matchLabels: {app: x}
  template:
    metadata:
      labels: {app: x}
    spec:
      containers: []
`;
    const broken = `apiVersion: v1
kind: ConfigMap
metadata: [this is: not valid
`;
    await setEditorText(page, `${good}---\n${invalid}---\n${broken}`);
    await page.getByTestId('apply-button').click();
    await expect(page.getByTestId('apply-summary')).toHaveText('2 failed');
    const errors = page.getByTestId('yaml-error');
    await expect(errors).toHaveCount(2);
    await expect(page.getByTestId('yaml-ok')).toContainText('ConfigMap/fine');
    await expect(errors.first()).toContainText('Bad_Name');
    // Each note sits right above the first line of its own document.
    const noteFollowedBy = async (index: number): Promise<string> =>
      errors.nth(index).evaluate((el) => (el.nextElementSibling as HTMLElement | null)?.innerText ?? '');
    expect(await noteFollowedBy(0)).toContain('apiVersion: apps/v1');
    expect(await noteFollowedBy(1)).toContain('apiVersion: v1');
    await shot(page, 'yaml-error-inline');
  });

  test('an unreachable context shows its error and a retry; the local context keeps working', async ({ console: page }) => {
    await applyYaml(page, deploymentYaml('steady'));
    await page.getByTestId(`context-${UNREACHABLE_CONTEXT}`).click();
    const error = page.getByTestId('context-error');
    await expect(error).toBeVisible({ timeout: 30_000 });
    await expect(error).toContainText('127.0.0.1:1');
    await expect(error).toContainText(/unreachable|refused/i);
    await shot(page, 'context-unreachable');
    await page.getByTestId('context-retry').click();
    await expect(error).toBeVisible();

    await page.getByTestId('context-skiff').click();
    await expect(error).toBeHidden();
    await page.getByTestId('nav-deployments').click();
    await expect(page.getByTestId('row-steady')).toBeVisible();
    await page.getByTestId('nav-pods').click();
    await expect(page.getByTestId('table-body').locator('[data-testid^="row-steady-"]').first()).toContainText('Running', { timeout: 60_000 });
    await shot(page, 'context-local-still-works');
  });
});
