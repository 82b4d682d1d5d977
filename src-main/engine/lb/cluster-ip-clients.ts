/**
 * Who may connect to a ClusterIP listener. The address sits on the host's lo, and Linux answers for it on
 * every interface, so a LAN peer routing 10.96.0.0/16 to this host could reach it; the engine's posture is
 * loopback only, so ClusterIP listeners take connections only from the engine's pod network(s) and from the
 * host itself (loopback, or the ClusterIP as source, which is what the host's own connections use). Pure.
 */

function ipv4ToNumber(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

/** Whether `ip` lies in `cidr` ("a.b.c.d/n"); false for anything that does not parse. */
export function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const n = Number(bits);
  const a = ipv4ToNumber(ip);
  const b = ipv4ToNumber(base ?? '');
  if (a === undefined || b === undefined || !Number.isInteger(n) || n < 0 || n > 32) return false;
  const mask = n === 0 ? 0 : (0xffffffff << (32 - n)) >>> 0;
  return (a & mask) === (b & mask);
}

/** A filter for connections to a ClusterIP listener on `listenerHost`: pods of `podSubnets` and the host. */
export function clusterIpClientFilter(podSubnets: readonly string[]): (remote: string, listenerHost: string) => boolean {
  return (remote, listenerHost) => {
    const ip = remote.startsWith('::ffff:') ? remote.slice(7) : remote;
    if (ip === listenerHost || inCidr(ip, '127.0.0.0/8')) return true;
    return podSubnets.some((s) => inCidr(ip, s));
  };
}
