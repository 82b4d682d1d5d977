import type { SkiffBridge } from '../src-main/contract/bridge';

declare global {
  interface Window {
    /** Present in the desktop app (set by the preload); absent in a plain browser. */
    readonly skiff?: SkiffBridge;
  }
}

/** The contract client, or undefined when no backend bridge is installed (web mode, Storybook, tests). */
export function getBridge(): SkiffBridge | undefined {
  return window.skiff;
}
