import { _electron as electron, expect, test } from '@playwright/test';
import Docker from 'dockerode';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { ensureTestImage } from '../src-main/engine/test/test-images';
import { brokenKubeconfig, removeClusterObjects, UNREACHABLE_CONTEXT } from './support/skiff-server';

const projectRoot = path.resolve(__dirname, '..');
const builtMain = path.join(projectRoot, 'out', 'main', 'index.js');

/** The Electron executable, or undefined when the package was installed without its binary. */
function electronExecutable(): string | undefined {
  try {
    // The electron package's main export is the binary's path; it throws when the download was skipped.
    const executable: unknown = createRequire(path.join(projectRoot, 'package.json'))('electron');
    return typeof executable === 'string' && existsSync(executable) ? executable : undefined;
  } catch {
    return undefined;
  }
}

const executable = electronExecutable();

test.describe('desktop shell', () => {
  test.skip(executable === undefined, 'Electron binary not installed (ELECTRON_SKIP_BINARY_DOWNLOAD)');
  test.skip(!existsSync(builtMain), 'app not built: run `npx electron-vite build` first');

  test('smoke: local context, apply a Deployment, a Running pod, an unreachable context, back to local', async () => {
    // A fresh profile, engine state, HOME and kubeconfig per run: the single-instance lock must not collide with a running Skiff.
    const root = await mkdtemp(path.join(os.tmpdir(), 'skiff-e2e-electron-'));
    const stateDir = path.join(root, 'engine');
    const kubeconfig = path.join(root, 'kubeconfig.yaml');
    await writeFile(kubeconfig, brokenKubeconfig(), { mode: 0o600 });
    const docker = new Docker();
    await ensureTestImage(docker);
    const env = Object.fromEntries(
      Object.entries({ ...process.env, SKIFF_USER_DATA_DIR: path.join(root, 'user-data'), SKIFF_STATE_DIR: stateDir, HOME: path.join(root, 'home'), KUBECONFIG: kubeconfig }).filter(
        (entry): entry is [string, string] => entry[1] !== undefined && entry[0] !== 'ELECTRON_RUN_AS_NODE',
      ),
    );
    // Chromium refuses to start as root with its OS sandbox on (CI runs as root); the page sandbox stays on.
    const args = process.getuid?.() === 0 ? ['--no-sandbox', builtMain] : [builtMain];
    const app = await electron.launch({ executablePath: executable, args, env, cwd: projectRoot });
    try {
      const window = await app.firstWindow();
      await expect(window.getByRole('heading', { name: 'Skiff' })).toBeVisible();
      await expect(window.getByTestId('app-version')).toHaveText(/^v\d+\.\d+\.\d+/);
      await expect(window.getByTestId('context-skiff')).toHaveAttribute('aria-current', 'true', { timeout: 90_000 });

      await window.getByTestId('nav-apply').click();
      const editor = window.getByTestId('yaml-editor');
      await editor.click();
      await window.keyboard.press('ControlOrMeta+a');
      await window.keyboard.press('Delete');
      await window.keyboard.insertText(
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: desk\n  namespace: default\nspec:\n  replicas: 1\n  selector:\n    matchLabels: {app: desk}\n  template:\n    metadata:\n      labels: {app: desk}\n    spec:\n      containers:\n        - name: main\n          image: busybox:1.36\n          command: ["sh", "-c", "while true; do sleep 1; done"]\n',
      );
      await window.getByTestId('apply-button').click();
      await expect(window.getByTestId('apply-summary')).toHaveText('Applied');
      await window.getByTestId('nav-pods').click();
      await expect(window.getByTestId('table-body').locator('[data-testid^="row-desk-"]').first()).toContainText('Running', { timeout: 90_000 });

      await window.getByTestId(`context-${UNREACHABLE_CONTEXT}`).click();
      await expect(window.getByTestId('context-error')).toBeVisible({ timeout: 30_000 });
      await window.getByTestId('context-skiff').click();
      await expect(window.getByTestId('table-body').locator('[data-testid^="row-desk-"]').first()).toBeVisible();
      await window.screenshot({ path: test.info().outputPath('skiff-window.png') });
    } finally {
      await app.close();
      const idFile = path.join(stateDir, 'cluster-id');
      if (existsSync(idFile)) await removeClusterObjects(docker, readFileSync(idFile, 'utf8').trim());
      await rm(root, { recursive: true, force: true });
    }
  });
});
