/** The ports of a WebSocket port-forward request (`ports=8080`, repeated or comma-separated). */
import { badRequest } from '../../status';

export function parsePortForwardPorts(query: URLSearchParams): number[] {
  const values = query.getAll('ports');
  if (values.length === 0) throw badRequest('query parameter "ports" is required');
  const ports: number[] = [];
  for (const value of values) {
    if (value === '') throw badRequest('query parameter "ports" cannot be empty');
    for (const p of value.split(',')) {
      if (!/^\d+$/.test(p) || Number(p) > 0xffff) throw badRequest(`unable to parse ${JSON.stringify(value)} as a port`);
      if (Number(p) < 1) throw badRequest(`port ${JSON.stringify(value)} must be > 0`);
      ports.push(Number(p));
    }
  }
  return ports;
}
