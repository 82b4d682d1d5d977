/**
 * The scheme and host of a URL (`app://skiff`, `http://localhost:5173`), or null when it has no host
 * (file:, data:, about:, javascript:) — such URLs are never the app. Built by hand because Node's
 * `URL#origin` is "null" for custom schemes like ours, which Chromium treats as standard.
 */
export function originOf(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.host === '') return null;
  return `${parsed.protocol}//${parsed.host.toLowerCase()}`;
}

/** Whether `url` belongs to the app's own origin (compared as parsed origins, never as string prefixes). */
export function isAppUrl(url: string, appOrigin: string): boolean {
  return originOf(url) === appOrigin;
}
