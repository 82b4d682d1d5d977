/** core/v1 Event: legacy validation (namespace agreement, series fields), table and field selectors. */
import type { KubeObject } from '../object';
import type { FieldCause } from '../status';
import { invalid, required } from './field-errors';
import { translateTimestampSince } from './human-duration';
import { asNumber, asObject, asString, getString } from './json-access';
import type { ResourceType } from './resource-type';
import { column, nameColumn } from './table-columns';
import { validateDns1123Subdomain, validateQualifiedName } from './validation';
import { fullVerbs } from './verbs';

const LENGTH_LIMIT = 128;
const NOTE_LENGTH_LIMIT = 1024;

function validateEvent(obj: KubeObject): FieldCause[] {
  const causes: FieldCause[] = [];
  const namespace = obj.metadata.namespace ?? '';
  const involvedNamespace = getString(obj, 'involvedObject', 'namespace');
  const mismatch = (): FieldCause => invalid('involvedObject.namespace', involvedNamespace, 'does not match event.namespace');
  if (!getString(obj, 'eventTime')) {
    if (!involvedNamespace) {
      if (namespace !== '' && namespace !== 'default') causes.push(mismatch());
    } else if (namespace !== involvedNamespace) causes.push(mismatch());
  } else {
    if (!involvedNamespace && namespace !== 'default' && namespace !== 'kube-system') causes.push(mismatch());
    const controller = asString(obj.reportingComponent) ?? '';
    if (!controller) causes.push(required('reportingComponent'));
    causes.push(...validateQualifiedName(controller, 'reportingComponent'));
    const instance = asString(obj.reportingInstance) ?? '';
    if (!instance) causes.push(required('reportingInstance'));
    if (instance.length > LENGTH_LIMIT) causes.push(invalid('reportingInstance', '', `can have at most ${LENGTH_LIMIT} characters`));
    const action = asString(obj.action) ?? '';
    if (!action) causes.push(required('action'));
    if (action.length > LENGTH_LIMIT) causes.push(invalid('action', '', `can have at most ${LENGTH_LIMIT} characters`));
    const reason = asString(obj.reason) ?? '';
    if (!reason) causes.push(required('reason'));
    if (reason.length > LENGTH_LIMIT) causes.push(invalid('reason', '', `can have at most ${LENGTH_LIMIT} characters`));
    if ((asString(obj.message) ?? '').length > NOTE_LENGTH_LIMIT)
      causes.push(invalid('message', '', `can have at most ${NOTE_LENGTH_LIMIT} characters`));
  }
  if (namespace) causes.push(...validateDns1123Subdomain(namespace, 'namespace'));
  return causes;
}

function formatSource(obj: KubeObject): string {
  const component = getString(obj, 'source', 'component') || (asString(obj.reportingComponent) ?? '');
  const host = getString(obj, 'source', 'host') || (asString(obj.reportingInstance) ?? '');
  return host ? `${component}, ${host}` : component;
}

function eventRow(obj: KubeObject, now: number): unknown[] {
  let firstSeen = translateTimestampSince(obj.firstTimestamp, now);
  if (!getString(obj, 'firstTimestamp')) firstSeen = translateTimestampSince(obj.eventTime, now);
  let lastSeen = getString(obj, 'lastTimestamp') ? translateTimestampSince(obj.lastTimestamp, now) : firstSeen;
  let count = asNumber(obj.count) ?? 0;
  const series = asObject(obj.series);
  if (series) {
    lastSeen = translateTimestampSince(series.lastObservedTime, now);
    count = asNumber(series.count) ?? 0;
  } else if (count === 0) {
    // Singleton events of the new API carry no count.
    count = 1;
  }
  const kind = getString(obj, 'involvedObject', 'kind').toLowerCase();
  const name = getString(obj, 'involvedObject', 'name');
  return [
    lastSeen,
    asString(obj.type) ?? '',
    asString(obj.reason) ?? '',
    name ? `${kind}/${name}` : kind,
    getString(obj, 'involvedObject', 'fieldPath'),
    formatSource(obj),
    (asString(obj.message) ?? '').trim(),
    firstSeen,
    count,
    obj.metadata.name ?? '',
  ];
}

/** The Event resource type. */
export const eventType: ResourceType = {
  group: '',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  singular: 'event',
  shortNames: ['ev'],
  categories: [],
  namespaced: true,
  verbs: fullVerbs(),
  hasStatusSubresource: false,
  hasGeneration: false,
  applyDefaults() {},
  validate: validateEvent,
  tableColumns: [
    column('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
    column('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
    column('Reason', 'string', "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
    column('Object', 'string', 'The object that this event is about.'),
    column('Subobject', 'string', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].', 1),
    column('Source', 'string', 'The component reporting this event. Should be a short machine understandable string.', 1),
    column('Message', 'string', 'A human-readable description of the status of this operation.'),
    column('First Seen', 'string', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', 1),
    column('Count', 'string', 'The number of times this event has occurred.', 1),
    nameColumn(1),
  ],
  tableRow: eventRow,
  fieldSelectors: {
    'involvedObject.kind': (o) => getString(o, 'involvedObject', 'kind'),
    'involvedObject.namespace': (o) => getString(o, 'involvedObject', 'namespace'),
    'involvedObject.name': (o) => getString(o, 'involvedObject', 'name'),
    'involvedObject.uid': (o) => getString(o, 'involvedObject', 'uid'),
    'involvedObject.apiVersion': (o) => getString(o, 'involvedObject', 'apiVersion'),
    'involvedObject.resourceVersion': (o) => getString(o, 'involvedObject', 'resourceVersion'),
    'involvedObject.fieldPath': (o) => getString(o, 'involvedObject', 'fieldPath'),
    reason: (o) => asString(o.reason) ?? '',
    reportingComponent: (o) => asString(o.reportingComponent) ?? '',
    source: (o) => getString(o, 'source', 'component') || (asString(o.reportingComponent) ?? ''),
    type: (o) => asString(o.type) ?? '',
  },
};

