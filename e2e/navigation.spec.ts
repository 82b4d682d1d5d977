import { applyYaml, expect, shot, test } from './support/fixtures';

test.describe('navigation', () => {
  test('command palette, keyboard navigation in tables, dark theme, secret values revealed per key', async ({ console: page }) => {
    await applyYaml(
      page,
      `apiVersion: v1
kind: Secret
metadata:
  name: creds
  namespace: default
stringData:
  username: admin
  password: s3cret-value
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings-a
  namespace: default
data: {x: "1"}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings-b
  namespace: default
data: {y: "2"}
`,
    );

    // Ctrl+K jumps straight to an object.
    await page.keyboard.press('ControlOrMeta+k');
    await expect(page.getByTestId('command-palette')).toBeVisible();
    await page.getByTestId('palette-input').fill('creds');
    // Objects stream in once the palette opens.
    await expect(page.getByTestId('command-palette').getByRole('option').first()).toContainText('Secrets');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('detail-title')).toHaveText('creds');

    // Values stay masked until revealed, one key at a time.
    const password = page.getByTestId('secret-key-password');
    await expect(password.getByTestId('secret-value')).toHaveText('••••••••');
    await expect(page.getByText('s3cret-value')).toHaveCount(0);
    await password.getByRole('button', { name: 'Reveal' }).click();
    await expect(password.getByTestId('secret-value')).toHaveText('s3cret-value');
    await expect(page.getByTestId('secret-key-username').getByTestId('secret-value')).toHaveText('••••••••');

    // Keyboard: focus the table, move down, Enter opens the row.
    await page.getByTestId('nav-configmaps').click();
    await page.getByTestId('namespace-select').selectOption('default');
    await page.getByTestId('filter-text').fill('settings');
    await expect(page.getByTestId('table-body').getByRole('row')).toHaveCount(2);
    await expect(page.getByTestId('table-body').getByRole('row').first()).toHaveAttribute('data-testid', 'row-settings-a');
    await page.getByTestId('table-body').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('detail-title')).toHaveText('settings-b');

    await page.getByTestId('theme-toggle').click();
    await expect(page.locator('html')).toHaveClass(/dark/);
    await shot(page, 'navigation-dark');
    await page.getByTestId('theme-toggle').click();
    await expect(page.locator('html')).not.toHaveClass(/dark/);
  });
});
