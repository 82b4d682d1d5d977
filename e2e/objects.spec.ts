import type { Page } from '@playwright/test';
import { applyYaml, expect, setEditorText, shot, test } from './support/fixtures';
import { deleteObjects } from './support/cluster-cleanup';

async function openConfigMapYaml(page: Page, name: string): Promise<void> {
  await page.getByTestId('nav-configmaps').click();
  await page.getByTestId('namespace-select').selectOption('default');
  await page.getByTestId(`row-${name}`).click();
  await expect(page.getByTestId('detail-title')).toHaveText(name);
  await page.getByRole('tab', { name: 'YAML' }).click();
  await expect(page.getByTestId('object-yaml')).toBeVisible();
}

function configMap(name: string, data: Record<string, string>): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  namespace: default
data:
${Object.entries(data)
  .map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`)
  .join('\n')}
`;
}

test.describe('objects', () => {
  // What these tests make, deleted after each (also when one fails half-way).
  test.afterEach(async ({ server }) => {
    await deleteObjects(server.stateDir, [
    { apiVersion: 'v1', kind: 'ConfigMap', name: 'editable', namespace: 'default' },
    { apiVersion: 'v1', kind: 'ConfigMap', name: 'doomed', namespace: 'default' },
    ]);
  });


  test('edit the YAML of an object in place and save: the stored object changes', async ({ console: page }) => {
    await applyYaml(page, configMap('editable', { greeting: 'hello', keep: 'me' }));
    await openConfigMapYaml(page, 'editable');
    const yaml = page.getByTestId('object-yaml');
    await expect(yaml).toContainText('greeting: hello');
    const before = await yaml.innerText();
    const version = /resourceVersion: "?(\d+)"?/.exec(before)?.[1];
    expect(version).toBeDefined();

    await page.getByTestId('edit-yaml').click();
    await setEditorText(page, before.replace('greeting: hello', 'greeting: bonjour').replace('keep: me', 'keep: me\n  added: "42"'));
    await shot(page, 'object-yaml-editing');
    await page.getByTestId('save-yaml').click();

    // Saved: the view is read-only again and shows what the server stored, with a new resourceVersion.
    await expect(page.getByTestId('save-yaml')).toBeHidden();
    await expect(yaml).toContainText('greeting: bonjour');
    await expect(yaml).toContainText('added: "42"');
    await expect(yaml).toContainText('keep: me');
    expect(/resourceVersion: "?(\d+)"?/.exec(await yaml.innerText())?.[1]).not.toBe(version);
    // The table's row follows the watch: the new key is listed.
    await expect(page.getByTestId('row-editable')).toContainText('added');
    await shot(page, 'object-yaml-saved');

    // Read again from the server (Refresh), not just the editor's text.
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(yaml).toContainText('greeting: bonjour');
  });

  test('delete with confirmation: Cancel keeps the object, Delete removes it', async ({ console: page }) => {
    await applyYaml(page, configMap('doomed', { x: '1' }));
    await openConfigMapYaml(page, 'doomed');

    await page.getByTestId('delete-object').click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toContainText('Delete ConfigMap doomed?');
    await expect(dialog).toContainText('In namespace default.');
    await shot(page, 'object-delete-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    // Still there, on the server too: reading it again works.
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(page.getByTestId('object-yaml')).toContainText('name: doomed');
    await expect(page.getByTestId('row-doomed')).toBeVisible();

    await page.getByTestId('delete-object').click();
    await expect(dialog).toContainText('Delete ConfigMap doomed?');
    await dialog.getByTestId('confirm').click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('row-doomed')).toHaveCount(0, { timeout: 30_000 });
    await expect(page.getByTestId('detail-title')).toHaveCount(0);
    await expect(page.getByTestId('object-error')).toHaveCount(0);
    await shot(page, 'object-deleted');
  });
});
