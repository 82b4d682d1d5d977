/** Field paths rendered like apimachinery's field.Path: `spec.containers[0].name`, `data[my key]`. */

export function child(path: string, ...names: string[]): string {
  let p = path;
  for (const n of names) p = p ? `${p}.${n}` : n;
  return p;
}

export function index(path: string, i: number): string {
  return `${path}[${i}]`;
}

export function key(path: string, k: string): string {
  return `${path}[${k}]`;
}
