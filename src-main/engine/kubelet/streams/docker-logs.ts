/** A container's log stream from Docker, streamed (dockerode buffers whole logs unless following). */
import { Readable } from 'node:stream';
import type Docker from 'dockerode';
import type { PreciseTime } from './stream-params';

export interface DockerLogRequest {
  follow: boolean;
  timestamps: boolean;
  tailLines: number | undefined;
  since: PreciseTime | undefined;
}

/** Docker's `since`: Unix seconds with an optional nanosecond fraction. */
export function dockerSince(t: PreciseTime): string {
  return `${t.seconds}.${String(t.nanos).padStart(9, '0')}`;
}

/** The message of a dockerode/docker-modem error: the daemon's JSON `message` when there is one. */
export function dockerErrorMessage(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    const json = (err as { json?: unknown }).json;
    if (typeof json === 'object' && json !== null && typeof (json as { message?: unknown }).message === 'string') {
      return (json as { message: string }).message;
    }
    if (err instanceof Error) return err.message;
  }
  return String(err);
}

/** Open GET /containers/{id}/logs as a stream (stdout and stderr, multiplexed unless the container has a TTY). */
export function openDockerLogs(docker: Docker, containerId: string, req: DockerLogRequest): Promise<Readable> {
  const query: Record<string, string | boolean> = {
    stdout: true,
    stderr: true,
    follow: req.follow,
    timestamps: req.timestamps,
    tail: req.tailLines === undefined ? 'all' : String(req.tailLines),
  };
  if (req.since) query.since = dockerSince(req.since);
  return new Promise((resolve, reject) => {
    docker.modem.dial(
      {
        path: `/containers/${encodeURIComponent(containerId)}/logs?`,
        method: 'GET',
        isStream: true,
        statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
        options: query,
      },
      (err, result) => {
        if (err) return reject(err);
        if (result instanceof Readable) return resolve(result);
        reject(new Error('Docker answered the log request without a stream'));
      },
    );
  });
}
