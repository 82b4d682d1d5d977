// The physical floor for the API benchmarks: a bare Node HTTPS server with the engine's certificate that
// answers every request with a fixed small JSON body (or, for GET /list, a pre-built list of N pods).
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';

const [stateDir, listSize] = process.argv.slice(2);
const key = readFileSync(join(stateDir, 'pki', 'server.key'));
const cert = readFileSync(join(stateDir, 'pki', 'server.crt'));
const items = [];
for (let i = 0; i < Number(listSize ?? 0); i++) {
  items.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: 'default', uid: crypto.randomUUID(), resourceVersion: String(i + 1), creationTimestamp: new Date().toISOString(), labels: { app: 'bench' } }, spec: { containers: [{ name: 'app', image: 'busybox:local', command: ['sh', '-c', 'sleep 3600'], ports: [{ containerPort: 80, protocol: 'TCP' }], imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', resources: {} }], restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler', terminationGracePeriodSeconds: 30, securityContext: {}, enableServiceLinks: true, preemptionPolicy: 'PreemptLowerPriority', priority: 0 }, status: { phase: 'Pending', qosClass: 'BestEffort' } });
}
const server = https.createServer({ key, cert }, (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let body;
    if (req.url === '/list') body = JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items });
    else if (req.url === '/readyz') body = 'ok';
    else {
      const parsed = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : {};
      parsed.metadata = { ...(parsed.metadata ?? {}), uid: crypto.randomUUID(), resourceVersion: '1' };
      body = JSON.stringify(parsed);
    }
    res.writeHead(req.method === 'POST' ? 201 : 200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on https://127.0.0.1:${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
