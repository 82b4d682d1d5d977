/**
 * GET pods/{name}/log: the container's Docker log, demultiplexed, with the kubelet's timestamp format and
 * byte limit, chunked while following. The Docker stream is destroyed as soon as the client goes away.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import type { ResourceRequest } from '../../api/request-info';
import { internalError, methodNotAllowed } from '../../status';
import type { ContainerResolver } from '../container-resolver';
import type { ActiveStreams } from './active-streams';
import { dockerErrorMessage, openDockerLogs } from './docker-logs';
import { parseLogOptions } from './log-options';
import { LogPipeline } from './log-pipeline';

export class PodLogs {
  constructor(
    private readonly resolver: ContainerResolver,
    private readonly docker: Docker,
    private readonly active: ActiveStreams,
  ) {}

  /** Errors before the first byte are thrown as StatusError for the API server to send. */
  async serve(req: IncomingMessage, res: ServerResponse, info: ResourceRequest, query: URLSearchParams): Promise<void> {
    if (info.verb !== 'get') throw methodNotAllowed();
    const opts = parseLogOptions(query, info.name);
    const ref = await this.resolver.resolve(info.namespace, info.name, opts.container, { previous: opts.previous });
    let source: Readable;
    try {
      source = await openDockerLogs(this.docker, ref.id, opts);
    } catch (err) {
      throw internalError(`failed to read the logs of container "${ref.name}" in pod "${info.name}": ${dockerErrorMessage(err)}`);
    }
    if (res.destroyed || req.destroyed) {
      source.destroy();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
    res.flushHeaders(); // a follower sees the response start before the first line
    pump(source, res, new LogPipeline({ multiplexed: !ref.tty, timestamps: opts.timestamps, limitBytes: opts.limitBytes }), this.active);
  }
}

function pump(source: Readable, res: ServerResponse, pipeline: LogPipeline, active: ActiveStreams): void {
  let finished = false;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    untrack();
    source.destroy();
    if (!res.writableEnded) res.end();
  };
  const untrack = active.add(finish);
  const write = (out: Buffer): void => {
    if (out.length === 0 || res.writableEnded) return;
    if (!res.write(out)) {
      source.pause();
      res.once('drain', () => source.resume());
    }
  };
  source.on('data', (chunk: Buffer) => {
    if (finished) return;
    const r = pipeline.push(chunk);
    write(r.out);
    if (r.done) finish();
  });
  source.on('end', () => {
    if (finished) return;
    write(pipeline.end().out);
    finish();
  });
  source.on('error', finish);
  res.on('close', finish);
}
