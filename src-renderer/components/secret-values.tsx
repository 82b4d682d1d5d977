import type { JSX } from 'react';
import { useState } from 'react';
import type { RevealedSecret } from '../../src-main/contract/objects';
import { call, errorMessage } from '../api';
import { Button } from './ui';

/** Each key of a Secret, its value hidden until revealed (one key at a time, fetched only then). */
export function SecretValues({ context, namespace, name, keys }: { context: string; namespace: string; name: string; keys: string[] }): JSX.Element {
  const [revealed, setRevealed] = useState<Record<string, RevealedSecret | string>>({});
  const reveal = async (key: string): Promise<void> => {
    try {
      const value = await call('secrets.reveal', { context, namespace, name, key });
      setRevealed((r) => ({ ...r, [key]: value }));
    } catch (error) {
      setRevealed((r) => ({ ...r, [key]: `error: ${errorMessage(error)}` }));
    }
  };
  const hide = (key: string): void =>
    setRevealed((r) => {
      const next = { ...r };
      delete next[key];
      return next;
    });
  if (keys.length === 0) return <p className="text-sm text-slate-500">No keys.</p>;
  return (
    <ul className="space-y-1.5">
      {keys.map((key) => {
        const value = revealed[key];
        return (
          <li key={key} className="flex items-start gap-2 text-sm" data-testid={`secret-key-${key}`}>
            <span className="w-40 shrink-0 truncate font-mono text-xs leading-6">{key}</span>
            <span className="min-w-0 flex-1 font-mono text-xs leading-6 break-all" data-testid="secret-value">
              {value === undefined ? '••••••••' : typeof value === 'string' ? value : value.encoding === 'base64' ? `(base64) ${value.value}` : value.value}
            </span>
            {value === undefined ? (
              <Button onClick={() => void reveal(key)}>Reveal</Button>
            ) : (
              <Button onClick={() => hide(key)}>Hide</Button>
            )}
          </li>
        );
      })}
    </ul>
  );
}
