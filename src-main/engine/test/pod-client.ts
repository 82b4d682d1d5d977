/**
 * Test support for Service tests: a shell library for a busybox client pod, HTTP from the host, a free
 * node port, and the host's lo addresses.
 */
import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { parseLoAddresses, type LoAddress } from '../lb/cluster-ip-addresses';
import { TEST_IMAGE } from './test-images';

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

export /** Pods that serve their own name over HTTP on the named port `http` (8080), ready while /tmp/ready exists. */
function webDeployment(name: string, replicas: number): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [
            {
              name: 'web',
              image: TEST_IMAGE,
              command: ['sh', '-c', 'mkdir -p /www && hostname > /www/index.html && touch /tmp/ready && exec httpd -f -p 8080 -h /www'],
              ports: [{ name: 'http', containerPort: 8080 }],
              // one failure turns a pod unready at once; the long timeout keeps a loaded machine's slow docker exec from doing so
              readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 1, failureThreshold: 1, timeoutSeconds: 10 },
            },
          ],
        },
      },
    },
  });
}

/** How often each line occurs. */
export function counts(lines: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of lines) m.set(l, (m.get(l) ?? 0) + 1);
  return m;
}

/** GET / from the host (no keep-alive): the body's trimmed text, or a rejection for non-200, errors and timeouts. */
export function hostGet(port: number, timeoutMs = 3000, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path: '/', agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => (res.statusCode === 200 ? resolve(body.trim()) : reject(new Error(`HTTP ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** A port in the NodePort range that nothing on 127.0.0.1 listens on right now. */
export async function freeNodePort(): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const port = 30000 + Math.floor(Math.random() * 2700);
    const s = createServer();
    const ok = await new Promise<boolean>((resolve) => {
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (ok) {
      await new Promise<void>((r) => s.close(() => r()));
      return port;
    }
  }
  throw new Error('no free node port');
}
