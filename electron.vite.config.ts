import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { contentSecurityPolicy } from './src-main/app/content-security-policy';

/**
 * index.html carries the production CSP. Vite's dev server needs inline script (React refresh preamble)
 * and injected <style>, so `electron-vite dev` swaps in the development policy; builds keep the strict one.
 */
function devContentSecurityPolicy(): Plugin {
  const production = contentSecurityPolicy('production', 'meta');
  const development = contentSecurityPolicy('development', 'meta');
  return {
    name: 'skiff:dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      if (!html.includes(production)) throw new Error('src-renderer/index.html lost its Content-Security-Policy <meta>');
      return html.replace(production, development);
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: resolve(__dirname, 'out/main'),
      // client-node is ESM-only: bundle it into the CJS main rather than require() it at run time.
      externalizeDeps: { exclude: ['@kubernetes/client-node'] },
      rollupOptions: { input: { index: resolve(__dirname, 'src-main/app/main.ts') } },
    },
  },
  preload: {
    build: {
      outDir: resolve(__dirname, 'out/preload'),
      // A sandboxed preload can require only 'electron' (and a few builtins): bundle everything else into one CJS file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-main/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].js', inlineDynamicImports: true },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    plugins: [react(), tailwindcss(), devContentSecurityPolicy()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } },
    },
  },
});
