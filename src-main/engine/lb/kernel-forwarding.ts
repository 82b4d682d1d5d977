/**
 * The load balancer's fast path on Linux: the kernel forwards Service connections (iptables DNAT, as
 * kube-proxy's iptables mode does) so no byte crosses user space, and still counts requests per pod.
 *
 * - nat: `<prefix>-OUT` (from OUTPUT: the host's own connections to 127.0.0.1:<nodePort>, 127.0.0.1:<port>
 *   and <clusterIP>:<port>) and `<prefix>-PRE` (from PREROUTING: pods' connections to <clusterIP>:<port>,
 *   sources limited to the engine's pod subnets). For each frontend: mark the connection (connmark bit
 *   SKIFF_MARK), then DNAT to one ready endpoint chosen at random with kube-proxy's 1/(n-i) probabilities.
 *   `<prefix>-POST` (from POSTROUTING) masquerades marked connections, so replies come back through the
 *   host (pod → ClusterIP → pod on one bridge, and 127.0.0.1 sources, need it).
 * - mangle: `<prefix>-CNT` (from POSTROUTING and INPUT, so every packet passes it once: after DNAT on the way to
 *   the pod, before un-NAT on the way back; Docker and host firewalls leave mangle alone, so no ACCEPT of theirs
 *   comes first) jumps, for marked connections, to one chain per
 *   endpoint (`<prefix>-E<hash>`) whose rule counters are the endpoint's traffic: packets carrying an HTTP/1.x
 *   request line (" HTTP/1.1\r\n", as the user-space proxy counts them), client FINs of connections that
 *   never carried one (a non-HTTP connection is one request), and packets/bytes each way. Endpoint chains
 *   live as long as the endpoint, so rewriting the dispatch never resets a counter.
 * - 127.0.0.1 may be a DNAT source only with `route_localnet` on the pod bridge (what Docker does for its own
 *   published ports); it is set there and put back at stop.
 *
 * The user-space listeners stay: they hold the ports (conflicts are still PortConflict events), and take
 * what the kernel does not forward (no ready endpoint, or this path off). Counters are read every second.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileRunner, type CommandRunner } from './cluster-ip-addresses';
import type { Backend, ProxyCounters } from './tcp-proxy';

/** The connmark bit of connections this path forwarded, and the bit of those that carried an HTTP request. */
export const SKIFF_MARK = 0x100000;
export const HTTP_MARK = 0x200000;
const MARKS = `0x${(SKIFF_MARK | HTTP_MARK).toString(16)}`;
const MARK = `0x${SKIFF_MARK.toString(16)}`;
const HTTP = `0x${HTTP_MARK.toString(16)}`;
/** IPv4 + TCP header with timestamps (Linux's default): kernel byte counters include it, the proxy's do not */
const HEADER_BYTES = 52;

export interface Frontend {
  ip: string;
  port: number;
  /** a ClusterIP: pods connect to it too (PREROUTING), not only the host */
  fromPods: boolean;
  backends: readonly Backend[];
}

/** The chain-name prefix of an engine: "SKIFF-" + 8 characters of its cluster id (chain names are ≤ 28). */
export function chainPrefix(clusterId: string): string {
  return `SKIFF-${clusterId.replace(/[^a-z0-9]/gi, '').slice(0, 8).toLowerCase()}`;
}

/** kube-proxy's probability format: 10 decimals. */
function probability(p: number): string {
  return p.toFixed(10);
}

function endpointKey(b: Backend): string {
  return `${b.namespace}/${b.pod}/${b.ip}:${b.port}`;
}

export function endpointChain(prefix: string, b: Backend): string {
  return `${prefix}-E${createHash('sha256').update(endpointKey(b)).digest('hex').slice(0, 10)}`;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const CIDR = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;

function valid(f: Frontend): boolean {
  return IPV4.test(f.ip) && Number.isInteger(f.port) && f.port > 0 && f.port < 65536;
}

function validBackend(b: Backend): boolean {
  return IPV4.test(b.ip) && Number.isInteger(b.port) && b.port > 0 && b.port < 65536;
}

/** A comment iptables keeps as it is: printable ASCII without quotes or backslashes, ≤ 200 characters. */
function comment(text: string): string {
  return `-m comment --comment "${text.replace(/[^\x20-\x7e]|["\\]/g, '_').slice(0, 200)}"`;
}

/** The nat table's dispatch (pure): PRE and OUT rewritten whole, POST's one masquerade rule. */
export function renderNat(prefix: string, frontends: readonly Frontend[], podSubnets: readonly string[]): string {
  const lines = ['*nat', `:${prefix}-PRE - [0:0]`, `:${prefix}-OUT - [0:0]`, `:${prefix}-POST - [0:0]`];
  lines.push(`-A ${prefix}-POST -m connmark --mark ${MARK}/${MARK} -j MASQUERADE`);
  const sorted = [...frontends].filter(valid).sort((a, b) => (a.ip === b.ip ? a.port - b.port : a.ip < b.ip ? -1 : 1));
  for (const f of sorted) {
    const backends = f.backends.filter(validBackend);
    if (backends.length === 0) continue;
    const chains: Array<{ chain: string; source: string }> = [{ chain: `${prefix}-OUT`, source: '' }];
    if (f.fromPods) for (const s of podSubnets.filter((x) => CIDR.test(x))) chains.push({ chain: `${prefix}-PRE`, source: `-s ${s} ` });
    for (const { chain, source } of chains) {
      const match = `-A ${chain} ${source}-d ${f.ip}/32 -p tcp -m tcp --dport ${f.port}`;
      lines.push(`${match} -j CONNMARK --set-xmark ${MARK}/${MARK}`);
      backends.forEach((b, i) => {
        const left = backends.length - i;
        const pick = left > 1 ? ` -m statistic --mode random --probability ${probability(1 / left)}` : '';
        lines.push(`${match}${pick} -j DNAT --to-destination ${b.ip}:${b.port}`);
      });
    }
  }
  lines.push('COMMIT', '');
  return lines.join('\n');
}

/** The rules of one endpoint's counting chain, in the order parseCounters reads them. */
function endpointRules(chain: string, b: Backend): string[] {
  const to = `-A ${chain} -d ${b.ip}/32 -p tcp -m tcp --dport ${b.port}`;
  const from = `-A ${chain} -s ${b.ip}/32 -p tcp -m tcp --sport ${b.port}`;
  const who = `${b.namespace}/${b.pod}`;
  return [
    `${to} -m string --algo bm --hex-string "|20|HTTP/1.1|0d0a|" ${comment(`${who} http/1.1`)} -j CONNMARK --set-xmark ${HTTP}/${HTTP}`,
    `${to} -m string --algo bm --hex-string "|20|HTTP/1.0|0d0a|" ${comment(`${who} http/1.0`)} -j CONNMARK --set-xmark ${HTTP}/${HTTP}`,
    `${to} --tcp-flags FIN FIN -m connmark --mark ${MARK}/${MARKS} ${comment(`${who} other-connection`)}`,
    `${to} ${comment(`${who} in`)}`,
    `${from} ${comment(`${who} out`)}`,
  ];
}

/**
 * The mangle table's counting (pure): CNT rewritten whole; chains of new endpoints declared with their rules
 * (existing ones untouched, so their counters go on); gone ones only named (flushed and deleted in a second
 * step: nftables refuses to delete a chain in the transaction that drops the last jump to it).
 */
export function renderCounting(prefix: string, endpoints: readonly Backend[], existing: ReadonlySet<string>): { restore: string; created: string[]; gone: string[] } {
  const lines = ['*mangle', `:${prefix}-CNT - [0:0]`];
  const wanted = new Map<string, Backend>();
  for (const b of endpoints.filter(validBackend)) wanted.set(endpointChain(prefix, b), b);
  const created: string[] = [];
  for (const chain of wanted.keys()) {
    if (existing.has(chain)) continue;
    created.push(chain);
    lines.push(`:${chain} - [0:0]`);
  }
  for (const [chain, b] of wanted) {
    lines.push(`-A ${prefix}-CNT -d ${b.ip}/32 -p tcp -m tcp --dport ${b.port} -m connmark --mark ${MARK}/${MARK} -j ${chain}`);
    lines.push(`-A ${prefix}-CNT -s ${b.ip}/32 -p tcp -m tcp --sport ${b.port} -m connmark --mark ${MARK}/${MARK} -j ${chain}`);
  }
  for (const chain of created) lines.push(...endpointRules(chain, wanted.get(chain) as Backend));
  const gone = [...existing].filter((c) => !wanted.has(c)).sort();
  lines.push('COMMIT', '');
  return { restore: lines.join('\n'), created, gone };
}

export interface EndpointCounters {
  requests: number;
  bytesIn: number;
  bytesOut: number;
}

/** Per endpoint chain, its traffic from `iptables-save -c -t mangle` (pure; chains without 5 rules skipped). */
export function parseCounters(save: string, prefix: string): Map<string, EndpointCounters> {
  const rules = new Map<string, Array<{ packets: number; bytes: number }>>();
  const start = `-A ${prefix}-E`;
  for (const line of save.split('\n')) {
    const m = /^\[(\d+):(\d+)\] (-A (\S+)) /.exec(line);
    if (!m || !m[3].startsWith(start)) continue;
    const list = rules.get(m[4]) ?? [];
    list.push({ packets: Number(m[1]), bytes: Number(m[2]) });
    rules.set(m[4], list);
  }
  const out = new Map<string, EndpointCounters>();
  for (const [chain, r] of rules) {
    if (r.length !== 5) continue;
    const payload = (x: { packets: number; bytes: number }): number => Math.max(0, x.bytes - HEADER_BYTES * x.packets);
    out.set(chain, { requests: r[0].packets + r[1].packets + r[2].packets, bytesIn: payload(r[3]), bytesOut: payload(r[4]) });
  }
  return out;
}

/** Our hooks and chains in `iptables-save` output of one table: what removing them takes (pure). */
export function ownRules(save: string, prefix: string): { hooks: string[]; chains: string[] } {
  const hooks: string[] = [];
  const chains: string[] = [];
  for (const raw of save.split('\n')) {
    const line = raw.replace(/^\[\d+:\d+\] /, '');
    const chain = /^:(\S+) /.exec(line)?.[1];
    if (chain?.startsWith(`${prefix}-`)) chains.push(chain);
    const hook = /^-A ([A-Z]+) -j (\S+)$/.exec(line);
    if (hook && hook[2].startsWith(`${prefix}-`)) hooks.push(`-D ${hook[1]} -j ${hook[2]}`);
  }
  return { hooks, chains };
}

/**
 * Removes every iptables hook and chain of the engine with this cluster id (what its stop does; for rules a
 * killed engine left, as its next start and test cleanup do). Never touches another engine's or Docker's.
 */
export async function removeForwardingRules(clusterId: string, run: CommandRunner = execFileRunner): Promise<void> {
  const prefix = chainPrefix(clusterId);
  const restore = (text: string): Promise<unknown> => run('iptables-restore', ['-w', '5', '--noflush'], text);
  // (filter: where counting chains lived before they moved to mangle)
  for (const table of ['nat', 'mangle', 'filter'] as const) {
    const { hooks, chains } = ownRules((await run('iptables-save', ['-t', table])).stdout, prefix);
    if (hooks.length === 0 && chains.length === 0) continue;
    await restore([`*${table}`, ...hooks, ...chains.map((c) => `-F ${c}`), 'COMMIT', ''].join('\n'));
    // nftables refuses to delete a chain in the transaction that drops the last jump to it
    if (chains.length > 0) await restore([`*${table}`, ...chains.map((c) => `-X ${c}`), 'COMMIT', ''].join('\n'));
  }
}

const HOOKS = {
  nat: [
    ['PREROUTING', 'PRE'],
    ['OUTPUT', 'OUT'],
    ['POSTROUTING', 'POST'],
  ],
  mangle: [
    ['POSTROUTING', 'CNT'],
    ['INPUT', 'CNT'],
  ],
} as const;

export interface KernelForwardingOptions {
  clusterId: string;
  /** the engine's pod subnets: the only sources PREROUTING forwards from */
  podSubnets: readonly string[];
  /** the pod network's bridge interface(s): route_localnet is set there */
  bridges: readonly string[];
  run?: CommandRunner;
  log?: (line: string) => void;
  platform?: string;
  /** how often counters are read (1 s) */
  pollMs?: number;
  /** where sysctls live (tests) */
  procSys?: string;
  /** after the last forwarding rule to a terminating pod is gone, how long its connections get to finish (250 ms) */
  drainSettleMs?: number;
}

export class KernelForwarding {
  readonly prefix: string;
  private readonly run: CommandRunner;
  private readonly frontends = new Map<string, Frontend[]>();
  /** endpoint chains that exist, with whom they count for */
  private readonly endpoints = new Map<string, Backend>();
  private readonly last = new Map<string, EndpointCounters>();
  /** pod IPs the written nat rules forward to */
  private forwarded = new Set<string>();
  private readonly localnet = new Map<string, string>();
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private on = false;
  private offReason: string | undefined;
  private readonly changed = new Set<() => void>();
  /** where counted traffic goes: the load balancer's counters (countInto) */
  private counters: ProxyCounters | undefined;

  constructor(private readonly opts: KernelForwardingOptions) {
    this.prefix = chainPrefix(opts.clusterId);
    this.run = opts.run ?? execFileRunner;
  }

  /** The load balancer that uses this path gives its per-pod counters. */
  countInto(counters: ProxyCounters): void {
    this.counters = counters;
  }

  get enabled(): boolean {
    return this.on;
  }

  /** Why the path is off (undefined while on or before start). */
  get reason(): string | undefined {
    return this.offReason;
  }

  /**
   * Removes this engine's rules left by a kill -9, checks that every match and target it needs works (a
   * probe chain per table), hooks its chains in and sets route_localnet. Resolves false, logged once, where
   * it cannot work; the load balancer then proxies everything in user space.
   */
  async start(): Promise<boolean> {
    const platform = this.opts.platform ?? process.platform;
    if (platform !== 'linux') return this.turnOff(`needs Linux (this is ${platform})`);
    if (this.opts.bridges.length === 0 || this.opts.podSubnets.length === 0) return this.turnOff('the pod network has no bridge or subnet');
    try {
      await this.removeAll();
      await this.probe();
      const p = this.prefix;
      const hooks = (table: 'nat' | 'mangle'): string[] => [`*${table}`, ...[...new Set(HOOKS[table].map(([, c]) => c))].map((c) => `:${p}-${c} - [0:0]`), ...HOOKS[table].map(([b, c]) => `-I ${b} 1 -j ${p}-${c}`), 'COMMIT'];
      await this.restore([...hooks('nat'), ...hooks('mangle'), ''].join('\n'));
      this.setLocalnet();
    } catch (err) {
      await this.removeAll().catch(() => undefined);
      this.restoreLocalnet();
      return this.turnOff(describe(err));
    }
    this.on = true;
    this.offReason = undefined;
    // the periodic read skips a beat while one is still running
    this.timer = setInterval(() => {
      if (!this.polling) void this.collect();
    }, this.opts.pollMs ?? 1000);
    this.timer.unref();
    return true;
  }

  /** Removes every rule and chain of this engine (connections in flight keep going until they end). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (!this.on) return;
    await this.writing;
    await this.collect();
    this.on = false;
    this.forwarded = new Set();
    await this.removeAll().catch((err: unknown) => this.opts.log?.(`cannot remove forwarding rules ${this.prefix}-*: ${describe(err)}`));
    this.restoreLocalnet();
    this.endpoints.clear();
    this.last.clear();
    for (const f of this.changed) f();
  }

  /**
   * What the kernel forwards for one Service (key): resolves when rules with it are in place. Writes are
   * one at a time; a change made while one runs goes into the next.
   */
  async set(key: string, frontends: Frontend[]): Promise<void> {
    const unchanged = JSON.stringify(this.frontends.get(key) ?? []) === JSON.stringify(frontends);
    if (frontends.length === 0) this.frontends.delete(key);
    else this.frontends.set(key, frontends);
    if (!this.on) return;
    // nothing new to write (a sync that changed nothing here): wait only for a write already under way
    if (unchanged) return this.writing;
    this.dirty = true;
    const next = this.writing.then(() => (this.dirty ? this.write() : undefined));
    this.writing = next.catch(() => undefined);
    await this.writing;
  }

  /** Resolves once no written rule forwards to `ip` (at most `timeoutMs`), plus a moment for connections made just before. */
  async drain(ip: string, timeoutMs = 3000): Promise<void> {
    if (!this.on || !this.forwarded.has(ip)) return;
    const until = Date.now() + timeoutMs;
    while (this.on && this.forwarded.has(ip) && Date.now() < until) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, until - Date.now());
        function done(): void {
          clearTimeout(t);
          resolve();
        }
        this.changed.add(done);
      });
    }
    await new Promise((r) => setTimeout(r, this.opts.drainSettleMs ?? 250));
  }

  /**
   * Reads the counters now (after a read already under way, which may predate the caller's traffic) and adds
   * what they gained to the load balancer's per-pod counters.
   */
  async collect(): Promise<void> {
    while (this.polling) await this.polling;
    if (!this.on || this.endpoints.size === 0) return;
    const read = this.readCounters().finally(() => {
      if (this.polling === read) this.polling = undefined;
    });
    this.polling = read;
    return read;
  }

  private async readCounters(): Promise<void> {
    let save: string;
    try {
      save = (await this.run('iptables-save', ['-c', '-t', 'mangle'])).stdout;
    } catch {
      return;
    }
    for (const [chain, now] of parseCounters(save, this.prefix)) {
      const b = this.endpoints.get(chain);
      if (!b) continue;
      const before = this.last.get(chain) ?? { requests: 0, bytesIn: 0, bytesOut: 0 };
      // a counter that went down was reset (a chain re-made under the same name): count from zero
      const delta = (a: number, z: number): number => (a >= z ? a - z : a);
      const requests = delta(now.requests, before.requests);
      if (requests > 0) this.counters?.addRequests(b.namespace, b.pod, requests);
      const bytesIn = delta(now.bytesIn, before.bytesIn);
      const bytesOut = delta(now.bytesOut, before.bytesOut);
      if (bytesIn > 0 || bytesOut > 0) this.counters?.addBytes(b.namespace, b.pod, bytesIn, bytesOut);
      this.last.set(chain, now);
    }
  }

  private async write(): Promise<void> {
    this.dirty = false;
    const all = [...this.frontends.values()].flat();
    const backends = all.flatMap((f) => f.backends);
    const counting = renderCounting(this.prefix, backends, new Set(this.endpoints.keys()));
    try {
      // counting first: a new endpoint's counters exist before the first DNAT to it (iptables-restore may
      // commit table by table)
      await this.restore(`${counting.restore}${renderNat(this.prefix, all, this.opts.podSubnets)}`);
    } catch (err) {
      // a rule the kernel refuses now: forward nothing rather than something stale; the listeners take it
      this.opts.log?.(`kernel forwarding failed (${describe(err)}); the load balancer proxies in user space`);
      await this.removeAll().catch(() => undefined);
      this.restoreLocalnet();
      this.on = false;
      this.offReason = describe(err);
      this.forwarded = new Set();
      for (const f of this.changed) f();
      throw err;
    }
    const byChain = new Map(backends.filter(validBackend).map((b) => [endpointChain(this.prefix, b), b]));
    for (const c of counting.created) this.endpoints.set(c, byChain.get(c) as Backend);
    if (counting.gone.length > 0) {
      // nothing jumps to them now: their last counts, then they go
      await this.collect();
      for (const c of counting.gone) {
        this.endpoints.delete(c);
        this.last.delete(c);
      }
      await this.restore(['*mangle', ...counting.gone.flatMap((c) => [`-F ${c}`, `-X ${c}`]), 'COMMIT', ''].join('\n')).catch(() => undefined);
    }
    this.forwarded = new Set(all.filter(valid).flatMap((f) => f.backends.filter(validBackend).map((b) => b.ip)));
    const waiting = [...this.changed];
    this.changed.clear();
    for (const f of waiting) f();
  }

  private async probe(): Promise<void> {
    const p = `${this.prefix}-PROBE`;
    const b: Backend = { ip: '10.96.255.255', port: 1, namespace: 'probe', pod: 'probe' };
    const made = [
      '*nat',
      `:${p} - [0:0]`,
      `-A ${p} -d 10.96.255.255/32 -p tcp -m tcp --dport 1 -j CONNMARK --set-xmark ${MARK}/${MARK}`,
      `-A ${p} -d 10.96.255.255/32 -p tcp -m tcp --dport 1 -m statistic --mode random --probability 0.5000000000 -j DNAT --to-destination 10.96.255.255:1`,
      `-A ${p} -m connmark --mark ${MARK}/${MARK} -j MASQUERADE`,
      'COMMIT',
      '*mangle',
      `:${p} - [0:0]`,
      ...endpointRules(p, b),
      'COMMIT',
      '',
    ];
    try {
      await this.restore(made.join('\n'));
    } finally {
      await this.restore(['*nat', `-F ${p}`, `-X ${p}`, 'COMMIT', '*mangle', `-F ${p}`, `-X ${p}`, 'COMMIT', ''].join('\n')).catch(() => undefined);
    }
  }

  private async removeAll(): Promise<void> {
    await removeForwardingRules(this.opts.clusterId, this.run);
  }

  private restore(text: string): Promise<unknown> {
    return this.run('iptables-restore', ['-w', '5', '--noflush'], text);
  }

  private sysctl(bridge: string): string {
    return `${this.opts.procSys ?? '/proc/sys'}/net/ipv4/conf/${bridge}/route_localnet`;
  }

  private setLocalnet(): void {
    for (const bridge of this.opts.bridges) {
      if (!/^[\w.-]{1,15}$/.test(bridge)) throw new Error(`not an interface name: ${bridge}`);
      const path = this.sysctl(bridge);
      const before = readFileSync(path, 'utf8').trim();
      if (before !== '1') {
        writeFileSync(path, '1');
        this.localnet.set(bridge, before);
      }
    }
  }

  private restoreLocalnet(): void {
    for (const [bridge, before] of this.localnet) {
      try {
        writeFileSync(this.sysctl(bridge), before);
      } catch {
        // the bridge went away with its network
      }
    }
    this.localnet.clear();
  }

  private turnOff(why: string): false {
    const first = this.offReason === undefined;
    this.on = false;
    this.offReason = why;
    if (first) this.opts.log?.(`kernel forwarding is off (${why}); the load balancer proxies Service traffic in user space`);
    return false;
  }
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException & { stderr?: string };
  if (e.code === 'ENOENT') return '`iptables` is not installed';
  const text = (e.stderr ?? '').trim() || (err instanceof Error ? err.message : String(err));
  return text.split('\n').filter(Boolean).slice(-2).join('; ');
}
