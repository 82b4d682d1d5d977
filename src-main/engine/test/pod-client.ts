/**
 * Test support for Service tests: a shell library for a busybox client pod, and the host's lo addresses.
 */
import { execFile } from 'node:child_process';
import { parseLoAddresses, type LoAddress } from '../lb/cluster-ip-addresses';

/**
 * `resolve NAME`: the first A record for NAME as a libc resolver finds it with the pod's /etc/resolv.conf
 * (fewer dots than ndots: each search domain first, then the name as given), asking with busybox nslookup.
 * `get NAME [PORT]`: fetch / from that address on PORT (default 80) with nc; prints the body's last line,
 * NODNS or FAIL. `fetch HOST PORT`: the same without DNS.
 * (The test image's static busybox cannot use libc name resolution: its wget crashes in glibc's NSS, and its
 * nslookup applies the search list only to names without a dot; so the search logic is spelled out here.)
 */
export const CLIENT_GET = `resolve() {
  search=$(awk '/^search/{for(i=2;i<=NF;i++) printf "%s ", $i}' /etc/resolv.conf)
  ndots=$(sed -n 's/.*ndots:\\([0-9]*\\).*/\\1/p' /etc/resolv.conf); ndots=\${ndots:-1}
  dots=$(printf %s "$1" | tr -cd . | wc -c)
  cands=""
  if [ "$dots" -lt "$ndots" ]; then for d in $search; do cands="$cands $1.$d"; done; fi
  for c in $cands $1.; do
    ip=$(nslookup "$c" 2>/dev/null | awk '/^Name:/{n=1} n && /^Address/{print $2; exit}')
    [ -n "$ip" ] && { echo "$ip"; return; }
  done
}
fetch() {
  out=$(printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 5 "$1" "$2" | tail -n 1)
  [ -n "$out" ] && echo "$out" || echo FAIL
}
get() {
  ip=$(resolve "$1")
  [ -n "$ip" ] || { echo NODNS; return; }
  fetch "$ip" "\${2:-80}"
}`;

/** IPv4 addresses on the host's lo (`ip -o -4 addr show dev lo`). */
export function loAddresses(): Promise<LoAddress[]> {
  return new Promise((resolve, reject) => {
    execFile('ip', ['-o', '-4', 'addr', 'show', 'dev', 'lo'], (err, stdout) => (err ? reject(err) : resolve(parseLoAddresses(String(stdout)))));
  });
}

/** Runs `ip` (tests that put their own address on lo); rejects with its stderr. */
export function ipCommand(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('ip', args, (err, _stdout, stderr) => (err ? reject(new Error(`ip ${args.join(' ')}: ${String(stderr)}`)) : resolve()));
  });
}
