/** A line diff (LCS) for comparing pod templates of two revisions. */
export interface DiffLine {
  op: 'same' | 'add' | 'remove';
  text: string;
  /** 1-based line in the old text (same/remove) and the new text (same/add). */
  oldLine: number | null;
  newLine: number | null;
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Templates are small (tens to hundreds of lines), so the O(n·m) table is fine; the common prefix/suffix are trimmed first. */
export function diffLines(oldText: string, newText: string): DiffLine[] {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const am = a.slice(prefix, a.length - suffix);
  const bm = b.slice(prefix, b.length - suffix);
  const n = am.length;
  const m = bm.length;
  // lcs[i][j]: length of the LCS of am[i..] and bm[j..]
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = am[i] === bm[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out: DiffLine[] = [];
  for (let k = 0; k < prefix; k++) out.push({ op: 'same', text: a[k], oldLine: k + 1, newLine: k + 1 });
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && am[i] === bm[j]) {
      out.push({ op: 'same', text: am[i], oldLine: prefix + i + 1, newLine: prefix + j + 1 });
      i++;
      j++;
    } else if (i < n && (j >= m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      // Removals first, so a changed line reads as "- old" then "+ new".
      out.push({ op: 'remove', text: am[i], oldLine: prefix + i + 1, newLine: null });
      i++;
    } else {
      out.push({ op: 'add', text: bm[j], oldLine: null, newLine: prefix + j + 1 });
      j++;
    }
  }
  for (let k = 0; k < suffix; k++) {
    const oi = a.length - suffix + k;
    const ni = b.length - suffix + k;
    out.push({ op: 'same', text: a[oi], oldLine: oi + 1, newLine: ni + 1 });
  }
  return out;
}

export function diffStats(lines: readonly DiffLine[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of lines) {
    if (line.op === 'add') added++;
    else if (line.op === 'remove') removed++;
  }
  return { added, removed };
}
