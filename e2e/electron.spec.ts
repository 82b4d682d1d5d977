import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

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

  test('opens the Skiff window with the version from the backend', async () => {
    // A fresh profile per run: the single-instance lock must not collide with a running Skiff.
    const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'skiff-e2e-'));
    const env = Object.fromEntries(
      // The app starts an engine: give it a state dir and kubeconfig of its own, never the user's.
      Object.entries({
        ...process.env,
        SKIFF_USER_DATA_DIR: userDataDir,
        SKIFF_STATE_DIR: path.join(userDataDir, 'engine'),
        KUBECONFIG: path.join(userDataDir, 'kubeconfig'),
      }).filter(
        (entry): entry is [string, string] => entry[1] !== undefined && entry[0] !== 'ELECTRON_RUN_AS_NODE',
      ),
    );
    // Chromium refuses to start as root with its OS sandbox on (CI runs as root); the page sandbox stays on.
    const args = process.getuid?.() === 0 ? ['--no-sandbox', builtMain] : [builtMain];
    const app = await electron.launch({ executablePath: executable, args, env, cwd: projectRoot });
    try {
      const window = await app.firstWindow();
      await expect(window.getByRole('heading', { name: 'Skiff' })).toBeVisible();
      await expect(window.getByText(/^v\d+\.\d+\.\d+/)).toBeVisible();
      await window.screenshot({ path: test.info().outputPath('skiff-window.png') });
    } finally {
      await app.close();
      await rm(userDataDir, { recursive: true, force: true });
    }
  });
});
