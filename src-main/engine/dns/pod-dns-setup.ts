/**
 * Starts the cluster DNS where pods can reach it: on the gateway IP of the engine's Docker bridge network
 * (the host side of the bridge), port 53. When that fails (Docker down, no permission for port 53, Docker
 * Desktop's VM owning the bridge) the engine logs why and pods keep Docker's DNS.
 */
import type Docker from 'dockerode';
import { PodRuntime } from '../kubelet/pod-runtime';
import type { PodDns } from '../kubelet/container-config';
import { ClusterDns } from './cluster-dns';
import type { ClusterNameSource } from './cluster-names';

/** The gateway IPv4 of the engine's pod network, created when missing. */
export async function podNetworkGateway(docker: Docker, clusterId: string): Promise<string> {
  const runtime = new PodRuntime(docker, clusterId);
  await runtime.ensureNetwork();
  const info = (await docker.getNetwork(runtime.network).inspect()) as { IPAM?: { Config?: Array<{ Gateway?: string }> } };
  const gateway = (info.IPAM?.Config ?? []).map((c) => c.Gateway ?? '').find((g) => /^\d+\.\d+\.\d+\.\d+$/.test(g));
  if (!gateway) throw new Error(`network ${runtime.network} has no IPv4 gateway`);
  return gateway;
}

/**
 * The engine's pod network as the host sees it: its IPv4 subnets and its bridge interface (Docker's
 * `com.docker.network.bridge.name`, else `br-` + 12 characters of the network id); empty when it cannot be
 * inspected.
 */
export async function podNetwork(docker: Docker, clusterId: string): Promise<{ subnets: string[]; bridges: string[] }> {
  const runtime = new PodRuntime(docker, clusterId);
  try {
    const info = (await docker.getNetwork(runtime.network).inspect()) as { Id?: string; Driver?: string; Options?: Record<string, string>; IPAM?: { Config?: Array<{ Subnet?: string }> } };
    const subnets = (info.IPAM?.Config ?? []).map((c) => c.Subnet ?? '').filter((s) => /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(s));
    const named = info.Options?.['com.docker.network.bridge.name'];
    const bridge = info.Driver === 'bridge' ? (named ?? (info.Id ? `br-${info.Id.slice(0, 12)}` : undefined)) : undefined;
    return { subnets, bridges: bridge ? [bridge] : [] };
  } catch {
    return { subnets: [], bridges: [] };
  }
}

export interface PodDnsSetup {
  docker: Docker;
  clusterId: string;
  source: ClusterNameSource;
  /** filled in with the DNS address once it listens; the kubelet reads it when it creates sandboxes */
  podDns: PodDns;
  log?: (line: string) => void;
  /** tests: a port other than 53 */
  port?: number;
  /** whether ClusterIPs are routable now (then Service names answer their ClusterIP) */
  clusterIpsRoutable?: () => boolean;
}

/** The running DNS, or undefined (logged) when pods stay on Docker's DNS. */
export async function startPodDns(setup: PodDnsSetup): Promise<ClusterDns | undefined> {
  let host = '';
  try {
    host = await podNetworkGateway(setup.docker, setup.clusterId);
    const dns = new ClusterDns({ source: setup.source, host, port: setup.port ?? 53, clusterIpsRoutable: setup.clusterIpsRoutable });
    await dns.start();
    setup.podDns.servers = [host];
    return dns;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    setup.log?.(`cluster DNS is off (${host ? `cannot listen on ${host}:${setup.port ?? 53}` : 'no pod network'}: ${message}); pods use Docker's DNS and cannot resolve Service names`);
    return undefined;
  }
}
