import { describe, expect, it } from 'vitest';
import { applyPodSpecDefaults, imageTag } from './pod-spec-defaults';

describe('imageTag', () => {
  it.each([
    ['nginx', 'latest'],
    ['nginx:1.25', '1.25'],
    ['localhost:5000/app', 'latest'],
    ['localhost:5000/app:v2', 'v2'],
    ['nginx@sha256:abc', ''],
    ['nginx:1.25@sha256:abc', '1.25'],
  ])('%s -> %s', (image, tag) => {
    expect(imageTag(image)).toBe(tag);
  });
});

describe('applyPodSpecDefaults', () => {
  it('fills the PodSpec and container defaults', () => {
    const spec: Record<string, unknown> = {
      containers: [
        {
          name: 'web',
          image: 'nginx',
          ports: [{ containerPort: 80 }],
          env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
          livenessProbe: { httpGet: { port: 80 } },
          readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 5 },
        },
        { name: 'side', image: 'busybox:1.36' },
      ],
      volumes: [{ name: 'cfg', configMap: { name: 'c' } }, { name: 's', secret: { secretName: 's' } }, { name: 'scratch' }],
    };
    applyPodSpecDefaults(spec);
    expect(spec).toMatchObject({
      dnsPolicy: 'ClusterFirst',
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      terminationGracePeriodSeconds: 30,
      volumes: [
        { name: 'cfg', configMap: { name: 'c', defaultMode: 420 } },
        { name: 's', secret: { secretName: 's', defaultMode: 420 } },
        { name: 'scratch', emptyDir: {} },
      ],
    });
    expect(spec.containers).toEqual([
      {
        name: 'web',
        image: 'nginx',
        imagePullPolicy: 'Always',
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
        resources: {},
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName', apiVersion: 'v1' } } }],
        livenessProbe: {
          httpGet: { port: 80, path: '/', scheme: 'HTTP' },
          timeoutSeconds: 1,
          periodSeconds: 10,
          successThreshold: 1,
          failureThreshold: 3,
        },
        readinessProbe: { tcpSocket: { port: 80 }, timeoutSeconds: 1, periodSeconds: 5, successThreshold: 1, failureThreshold: 3 },
      },
      {
        name: 'side',
        image: 'busybox:1.36',
        imagePullPolicy: 'IfNotPresent',
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
        resources: {},
      },
    ]);
    expect(spec).not.toHaveProperty('enableServiceLinks');
  });

  it('keeps what the client set', () => {
    const spec: Record<string, unknown> = {
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 0,
      containers: [{ name: 'a', image: 'x', imagePullPolicy: 'Never' }],
    };
    applyPodSpecDefaults(spec);
    expect(spec).toMatchObject({ restartPolicy: 'Never', terminationGracePeriodSeconds: 0, containers: [{ imagePullPolicy: 'Never' }] });
  });
});
