/** Responses as metrics-server and a custom metrics adapter serve them (trimmed), for parser tests. */
export const POD_METRICS_LIST = {
  kind: 'PodMetricsList',
  apiVersion: 'metrics.k8s.io/v1beta1',
  metadata: {},
  items: [
    {
      metadata: { name: 'web-7d4b9c-abcde', namespace: 'default', creationTimestamp: '2026-11-28T18:00:05Z', labels: { app: 'web' } },
      timestamp: '2026-11-28T18:00:00Z',
      window: '15.012s',
      containers: [
        { name: 'web', usage: { cpu: '12345678n', memory: '24Mi' } },
        { name: 'sidecar', usage: { cpu: '2m', memory: '8192Ki' } },
      ],
    },
    {
      metadata: { name: 'db-0', namespace: 'data' },
      timestamp: '2026-11-28T18:00:01Z',
      window: '15s',
      containers: [{ name: 'db', usage: { cpu: '1', memory: '1Gi' } }],
    },
    // not usable: no name, no usage, garbage usage
    { metadata: { namespace: 'default' }, containers: [{ name: 'x', usage: { cpu: '1m', memory: '1Mi' } }] },
    { metadata: { name: 'empty', namespace: 'default' }, containers: [] },
    { metadata: { name: 'garbage', namespace: 'default' }, containers: [{ name: 'x', usage: { cpu: 'lots', memory: {} } }] },
  ],
};

export const REQUESTS_PER_SECOND_LIST = {
  kind: 'MetricValueList',
  apiVersion: 'custom.metrics.k8s.io/v1beta1',
  metadata: {},
  items: [
    {
      describedObject: { kind: 'Pod', namespace: 'default', name: 'web-7d4b9c-abcde', apiVersion: '/v1' },
      metricName: 'requests_per_second',
      timestamp: '2026-11-28T18:00:00Z',
      value: '1500m',
      selector: null,
    },
    {
      describedObject: { kind: 'Pod', namespace: 'default', name: 'web-7d4b9c-fghij', apiVersion: '/v1' },
      metricName: 'requests_per_second',
      timestamp: '2026-11-28T18:00:00Z',
      value: '42',
    },
    { describedObject: { kind: 'Pod', namespace: 'default' }, metricName: 'requests_per_second', value: '1' },
    { describedObject: { kind: 'Pod', namespace: 'default', name: 'bad' }, metricName: 'requests_per_second', value: 'many' },
  ],
};
