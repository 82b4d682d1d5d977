/** The kubelet's streaming endpoints — pods/log, exec, attach, portforward — over Docker, for the API server. */
import type Docker from 'dockerode';
import type { UpgradeHandler } from '../../api/api-server';
import type { PodStreamHandlers } from '../../api/rest-handler';
import type { ContainerResolver } from '../container-resolver';
import { ActiveStreams } from './active-streams';
import { RemoteCommandUpgrades } from './remote-command-upgrades';
import { PodLogs } from './pod-logs';
import { PortForwardUpgrades } from './port-forward';
import { PodStreamRoutes } from './stream-routes';

export interface PodStreams {
  /** pass to `new ApiServer({ podStreams })` */
  podStreams: PodStreamHandlers;
  /** pass to `new ApiServer({ upgrades })` */
  upgrades: UpgradeHandler;
  /** sessions open now (log streams, exec/attach, port-forwards) */
  activeSessions(): number;
  /** end every open session (engine shutdown) */
  stop(): void;
}

export function createPodStreams(resolver: ContainerResolver, docker: Docker): PodStreams {
  const active = new ActiveStreams();
  const routes = new PodStreamRoutes(new PodLogs(resolver, docker, active), new RemoteCommandUpgrades(resolver, docker, active), new PortForwardUpgrades(resolver, active));
  return {
    podStreams: routes,
    upgrades: routes,
    activeSessions: () => active.size,
    stop: () => active.closeAll(),
  };
}
