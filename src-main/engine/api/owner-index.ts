/** Which objects name a given owner uid in their ownerReferences, kept current from the store's events. */
import type { KubeObject } from '../object';
import type { SqliteStore, StoreEvent } from '../store/sqlite-store';

export interface ObjectRef {
  resource: string;
  namespace: string;
  name: string;
}

function refKey(resource: string, namespace: string, name: string): string {
  return `${resource}\u0000${namespace}\u0000${name}`;
}

export class OwnerIndex {
  /** owner uid -> dependent keys */
  private readonly dependents = new Map<string, Map<string, ObjectRef>>();
  /** uid -> where that object lives */
  private readonly byUid = new Map<string, ObjectRef>();
  private readonly dispose: () => void;

  constructor(private readonly store: SqliteStore) {
    for (const resource of store.resources()) {
      for (const o of store.list(resource)) this.add(resource, o);
    }
    this.dispose = store.observeWrites((e) => this.onEvent(e));
  }

  private onEvent(e: StoreEvent): void {
    if (e.prev) this.remove(e.resource, e.prev);
    if (e.type !== 'DELETED') this.add(e.resource, e.object);
  }

  private add(resource: string, o: KubeObject): void {
    const ref: ObjectRef = { resource, namespace: o.metadata.namespace ?? '', name: o.metadata.name ?? '' };
    if (o.metadata.uid) this.byUid.set(o.metadata.uid, ref);
    for (const r of o.metadata.ownerReferences ?? []) {
      let m = this.dependents.get(r.uid);
      if (!m) {
        m = new Map();
        this.dependents.set(r.uid, m);
      }
      m.set(refKey(ref.resource, ref.namespace, ref.name), ref);
    }
  }

  private remove(resource: string, o: KubeObject): void {
    const ns = o.metadata.namespace ?? '';
    const name = o.metadata.name ?? '';
    if (o.metadata.uid) {
      const cur = this.byUid.get(o.metadata.uid);
      if (cur && cur.resource === resource && cur.namespace === ns && cur.name === name) this.byUid.delete(o.metadata.uid);
    }
    for (const r of o.metadata.ownerReferences ?? []) {
      const m = this.dependents.get(r.uid);
      if (!m) continue;
      m.delete(refKey(resource, ns, name));
      if (m.size === 0) this.dependents.delete(r.uid);
    }
  }

  /** The objects that list `uid` as an owner. */
  dependentsOf(uid: string): ObjectRef[] {
    const m = this.dependents.get(uid);
    return m ? [...m.values()] : [];
  }

  /** Where the object with this uid lives, if it exists. */
  locate(uid: string): ObjectRef | undefined {
    return this.byUid.get(uid);
  }

  stop(): void {
    this.dispose();
  }
}
