import type { JSX } from 'react';
import { useEffect, useState } from 'react';
import type { AppVersionState } from './app-version';
import { loadAppVersion } from './app-version';
import { getBridge } from './bridge';

function versionLabel(state: AppVersionState): string {
  switch (state.status) {
    case 'loading':
      return '…';
    case 'ready':
      return `v${state.version}`;
    case 'unavailable':
      return 'version unavailable';
  }
}

export function App(): JSX.Element {
  const [version, setVersion] = useState<AppVersionState>({ status: 'loading' });

  useEffect(() => {
    let current = true;
    void loadAppVersion(getBridge()).then((state) => {
      if (current) setVersion(state);
    });
    return () => {
      current = false;
    };
  }, []);

  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-2 bg-white text-slate-900 dark:bg-slate-950 dark:text-slate-100">
      <h1 className="text-5xl font-semibold tracking-tight">Skiff</h1>
      <p
        className="font-mono text-sm text-slate-500 dark:text-slate-400"
        title={version.status === 'unavailable' ? version.reason : undefined}
      >
        {versionLabel(version)}
      </p>
    </main>
  );
}
