/**
 * Makes ClusterIPs routable the way kube-proxy's IPVS mode does: every Service IP the load balancer serves
 * is a /32 on the host's `lo`, labelled for this engine (`lo:sk<cluster id prefix>`). Pods route to their
 * bridge gateway (the host), the host owns the address, and the load balancer listens on it.
 * Uses iproute2 (`ip`, no shell). Where that cannot work (no `ip`, not root/CAP_NET_ADMIN, not Linux) the
 * engine logs why once and stays on the fallback (Service names resolve to pod IPs).
 */
import { execFile } from 'node:child_process';

/**
 * Runs a command without a shell, `input` (if any) on its stdin; rejects with an Error carrying `code` and
 * `stderr` on failure.
 */
export type CommandRunner = (file: string, args: string[], input?: string) => Promise<{ stdout: string; stderr: string }>;

export const execFileRunner: CommandRunner = (file, args, input) =>
  new Promise((resolve, reject) => {
    const child = execFile(file, args, { timeout: 10_000, windowsHide: true, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(Object.assign(err, { stderr: String(stderr) }));
      else resolve({ stdout: String(stdout), stderr: String(stderr) });
    });
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input ?? '');
  });

/** Never allocated to a Service (the allocator refuses 10.96.255.255): safe to probe permissions with. */
export const PROBE_ADDRESS = '10.96.255.255';

/** The label of this engine's addresses: "lo:sk" + 8 characters of the cluster id (labels are ≤15 chars). */
export function addressLabel(clusterId: string): string {
  return `lo:sk${clusterId.replace(/[^a-z0-9]/gi, '').slice(0, 8).toLowerCase()}`;
}

export interface LoAddress {
  ip: string;
  prefix: number;
  label: string;
}

const ADDRESS_LINE = /\binet (\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})\b(.*)$/;

/** IPv4 addresses in `ip -o -4 addr show dev lo` output; lines that do not parse are skipped. */
export function parseLoAddresses(output: string): LoAddress[] {
  const out: LoAddress[] = [];
  for (const line of output.split('\n')) {
    const m = ADDRESS_LINE.exec(line);
    if (!m) continue;
    // the label is the last word before the "\" that -o puts where the next line was
    const rest = m[3].split('\\')[0].trim().split(/\s+/);
    const label = rest[rest.length - 1] ?? '';
    if (m[1].split('.').some((o) => Number(o) > 255) || Number(m[2]) > 32) continue;
    out.push({ ip: m[1], prefix: Number(m[2]), label: label.startsWith('lo') ? label : '' });
  }
  return out;
}

type Failure = 'missing' | 'denied' | 'exists' | 'absent' | 'other';

function classify(err: unknown): { kind: Failure; text: string } {
  const e = err as NodeJS.ErrnoException & { stderr?: string };
  const text = (e.stderr ?? '').trim() || (err instanceof Error ? err.message : String(err));
  if (e.code === 'ENOENT') return { kind: 'missing', text: '`ip` (iproute2) is not installed' };
  if (e.code === 'EACCES' || /not permitted|permission denied/i.test(text)) return { kind: 'denied', text };
  if (/file exists|already assigned/i.test(text)) return { kind: 'exists', text };
  if (/cannot assign requested address|address not found/i.test(text)) return { kind: 'absent', text };
  return { kind: 'other', text };
}

export interface ClusterIpAddressesOptions {
  clusterId: string;
  run?: CommandRunner;
  /** where the one-line reasons go (feature off, an address that could not be added) */
  log?: (line: string) => void;
  /** default process.platform */
  platform?: string;
}

export class ClusterIpAddresses {
  readonly label: string;
  private readonly run: CommandRunner;
  private readonly platform: string;
  /** addresses this engine added (and so removes) */
  private readonly owned = new Set<string>();
  private on = false;
  private offReason: string | undefined;

  constructor(private readonly opts: ClusterIpAddressesOptions) {
    this.label = addressLabel(opts.clusterId);
    this.run = opts.run ?? execFileRunner;
    this.platform = opts.platform ?? process.platform;
  }

  /** Whether ClusterIPs are routable (start() succeeded and nothing turned the feature off since). */
  get enabled(): boolean {
    return this.on;
  }

  /** Why the feature is off (undefined while it is on or before start). */
  get reason(): string | undefined {
    return this.offReason;
  }

  /** Addresses currently added by this engine. */
  addresses(): string[] {
    return [...this.owned].sort();
  }

  /**
   * Checks that addresses can be managed (a probe add/remove), removes this engine's stale addresses (left
   * by a kill -9) and turns the feature on. Resolves false, logged once, when it cannot work here.
   */
  async start(): Promise<boolean> {
    if (this.platform !== 'linux') return this.turnOff(`needs Linux (this is ${this.platform})`);
    let listed: LoAddress[];
    try {
      listed = await this.list();
    } catch (err) {
      return this.turnOff(classify(err).text);
    }
    for (const a of listed) {
      if (a.label !== this.label) continue;
      try {
        await this.ip(['addr', 'del', `${a.ip}/${a.prefix}`, 'dev', 'lo']);
      } catch (err) {
        const c = classify(err);
        if (c.kind !== 'absent') return this.turnOff(c.text);
      }
    }
    try {
      await this.ip(['addr', 'add', `${PROBE_ADDRESS}/32`, 'dev', 'lo', 'label', this.label]);
      await this.ip(['addr', 'del', `${PROBE_ADDRESS}/32`, 'dev', 'lo']).catch(() => undefined);
    } catch (err) {
      const c = classify(err);
      // another engine probing at the same moment: the kernel checked our permission before saying so
      if (c.kind !== 'exists') return this.turnOff(c.text);
    }
    this.on = true;
    this.offReason = undefined;
    return true;
  }

  /** Removes every address this engine added; the feature is off afterwards. */
  async stop(): Promise<void> {
    this.on = false;
    for (const ip of [...this.owned]) await this.remove(ip);
  }

  /**
   * Puts `ip` on lo. True when the address is there (added now, or already present: another engine's or
   * one we added before); false when it could not be added (logged).
   */
  async add(ip: string): Promise<boolean> {
    if (!this.on) return false;
    if (this.owned.has(ip)) return true;
    try {
      await this.ip(['addr', 'add', `${ip}/32`, 'dev', 'lo', 'label', this.label]);
      this.owned.add(ip);
      return true;
    } catch (err) {
      const c = classify(err);
      if (c.kind === 'exists') return true;
      // start() proved we may add addresses: a failure now is about this one address, not the feature
      this.opts.log?.(`cannot add ClusterIP ${ip} to lo: ${c.text}`);
      return false;
    }
  }

  /** Takes `ip` off lo if this engine added it (never another engine's or the user's address). */
  async remove(ip: string): Promise<void> {
    if (!this.owned.has(ip)) return;
    try {
      await this.ip(['addr', 'del', `${ip}/32`, 'dev', 'lo']);
      this.owned.delete(ip);
    } catch (err) {
      const c = classify(err);
      if (c.kind === 'absent') this.owned.delete(ip);
      else this.opts.log?.(`cannot remove ClusterIP ${ip} from lo: ${c.text}`);
    }
  }

  private async list(): Promise<LoAddress[]> {
    const { stdout } = await this.ip(['-o', '-4', 'addr', 'show', 'dev', 'lo']);
    return parseLoAddresses(stdout);
  }

  private ip(args: string[]): Promise<{ stdout: string; stderr: string }> {
    return this.run('ip', args);
  }

  private turnOff(why: string): false {
    const first = this.offReason === undefined;
    this.on = false;
    this.offReason = why;
    if (first) this.opts.log?.(`ClusterIPs are not routable (${why}); Service names resolve to pod IPs and in-cluster ports are not remapped`);
    return false;
  }
}
