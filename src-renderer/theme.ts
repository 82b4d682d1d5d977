import { useCallback, useEffect, useState } from 'react';

export type ThemeChoice = 'light' | 'dark' | 'system';
const STORAGE_KEY = 'skiff.theme';

function systemDark(): boolean {
  return window.matchMedia('(prefers-color-scheme: dark)').matches;
}

function readChoice(): ThemeChoice {
  const stored = window.localStorage.getItem(STORAGE_KEY);
  return stored === 'light' || stored === 'dark' ? stored : 'system';
}

/** Light/dark: follows the system unless the user picked one; applied as the `dark` class on <html>. */
export function useTheme(): { choice: ThemeChoice; dark: boolean; setChoice: (choice: ThemeChoice) => void; toggle: () => void } {
  const [choice, setChoiceState] = useState<ThemeChoice>(readChoice);
  const [system, setSystem] = useState(systemDark);
  useEffect(() => {
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const onChange = (): void => setSystem(media.matches);
    media.addEventListener('change', onChange);
    const onStorage = (): void => setChoiceState(readChoice());
    window.addEventListener('skiff-theme', onStorage);
    return () => {
      media.removeEventListener('change', onChange);
      window.removeEventListener('skiff-theme', onStorage);
    };
  }, []);
  const dark = choice === 'dark' || (choice === 'system' && system);
  useEffect(() => {
    document.documentElement.classList.toggle('dark', dark);
  }, [dark]);
  const setChoice = useCallback((next: ThemeChoice) => {
    if (next === 'system') window.localStorage.removeItem(STORAGE_KEY);
    else window.localStorage.setItem(STORAGE_KEY, next);
    setChoiceState(next);
    window.dispatchEvent(new Event('skiff-theme'));
  }, []);
  const toggle = useCallback(() => setChoice(dark ? 'light' : 'dark'), [dark, setChoice]);
  return { choice, dark, setChoice, toggle };
}
