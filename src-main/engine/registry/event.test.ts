import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { eventType } from './event';

function event(extra: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Event', metadata: { name: 'web.17c', namespace: 'default' }, ...extra };
}

const now = Date.parse('2024-05-01T12:10:00Z');

describe('eventType', () => {
  it('prints the default and wide cells in the real column order', () => {
    const e = event({
      involvedObject: { kind: 'Pod', name: 'web', namespace: 'default', fieldPath: 'spec.containers{web}' },
      reason: 'BackOff',
      message: 'Back-off restarting failed container\n',
      type: 'Warning',
      source: { component: 'kubelet', host: 'skiff' },
      firstTimestamp: '2024-05-01T12:00:00Z',
      lastTimestamp: '2024-05-01T12:09:00Z',
      count: 7,
    });
    expect(eventType.tableRow(e, now)).toEqual([
      '60s',
      'Warning',
      'BackOff',
      'pod/web',
      'spec.containers{web}',
      'kubelet, skiff',
      'Back-off restarting failed container',
      '10m',
      7,
      'web.17c',
    ]);
    expect(eventType.tableColumns.map((c) => `${c.name}:${c.priority}`)).toEqual([
      'Last Seen:0',
      'Type:0',
      'Reason:0',
      'Object:0',
      'Subobject:1',
      'Source:1',
      'Message:0',
      'First Seen:1',
      'Count:1',
      'Name:1',
    ]);
  });

  it('falls back to eventTime and series for new-style events', () => {
    const e = event({
      involvedObject: { kind: 'Node', name: 'skiff' },
      eventTime: '2024-05-01T12:05:00.000000Z',
      series: { count: 3, lastObservedTime: '2024-05-01T12:09:30.000000Z' },
      reportingComponent: 'kubelet',
      reportingInstance: 'skiff',
    });
    const row = eventType.tableRow(e, now);
    expect([row[0], row[5], row[7], row[8]]).toEqual(['30s', 'kubelet, skiff', '5m', 3]);
  });

  it('checks that the involved object lives in the event namespace', () => {
    expect(eventType.validate(event({ involvedObject: { namespace: 'default' } }))).toEqual([]);
    expect(eventType.validate(event({ involvedObject: { namespace: 'other' } })).map((c) => `${c.field}: ${c.message}`)).toEqual([
      'involvedObject.namespace: Invalid value: "other": does not match event.namespace',
    ]);
    expect(
      eventType.validate(event({ eventTime: '2024-05-01T12:00:00Z', involvedObject: { namespace: 'default' } })).map((c) => c.field),
    ).toEqual(['reportingComponent', 'reportingComponent', 'reportingComponent', 'reportingInstance', 'action', 'reason']);
  });

  it('serves the event field selectors', () => {
    const e = event({ involvedObject: { kind: 'Pod', name: 'web', uid: 'u1' }, reason: 'Started', type: 'Normal', reportingComponent: 'kubelet' });
    expect(eventType.fieldSelectors['involvedObject.uid'](e)).toBe('u1');
    expect(eventType.fieldSelectors.source(e)).toBe('kubelet');
    expect(eventType.fieldSelectors.type(e)).toBe('Normal');
  });
});
