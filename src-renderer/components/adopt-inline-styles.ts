/**
 * The page's CSP allows only stylesheets from 'self', so <style> elements that a library creates at run time
 * (xterm.js sizes its rows and colours that way) are ignored. This mirrors each such element inside `root`
 * into a constructable stylesheet adopted by the document, which the CSP does not govern; the text is the
 * library's own, never user input. Returns the disposer.
 */
export function adoptInlineStyles(root: HTMLElement): () => void {
  const sheets = new Map<HTMLStyleElement, CSSStyleSheet>();
  const sync = (): void => {
    for (const el of root.querySelectorAll('style')) {
      let sheet = sheets.get(el);
      if (sheet === undefined) {
        sheet = new CSSStyleSheet();
        sheets.set(el, sheet);
        document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
      }
      sheet.replaceSync(el.textContent ?? '');
    }
    for (const [el, sheet] of sheets) {
      if (!root.contains(el)) {
        sheets.delete(el);
        document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
      }
    }
  };
  const observer = new MutationObserver(sync);
  observer.observe(root, { subtree: true, childList: true, characterData: true });
  sync();
  return () => {
    observer.disconnect();
    const gone = new Set(sheets.values());
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => !gone.has(s));
  };
}
