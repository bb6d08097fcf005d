import { Etcd3, type Lease } from 'etcd3';
import type { RegistryInstance } from './discovered-service.js';

/**
 * The test's side of an etcd registry: what a service does to register (a JSON value under
 * the prefix, keyed by its id, with or without a lease) and to leave (delete, or let the
 * lease expire). A new client per call keeps a restarted etcd from meeting a client left
 * in backoff.
 *
 *   const registry = etcdRegistry(etcd.url);
 *   await registry.put(api.entry);
 *   const lease = await registry.putLeased(api.entry, 2);
 *   lease.release();                 // keepalives stop: the key goes when the TTL runs out
 *   await registry.remove('api-1');
 *   registry.close();
 */

export const ETCD_PREFIX = '/services/';

export interface EtcdRegistry {
  put(instance: RegistryInstance): Promise<void>;
  /** Puts the instance under a lease of `ttlSeconds`, kept alive until `release()`d. */
  putLeased(instance: RegistryInstance, ttlSeconds: number): Promise<Lease>;
  remove(id: string): Promise<void>;
  /** Whether the instance's key is still there. */
  has(id: string): Promise<boolean>;
  close(): void;
}

/** The etcd value of an instance: its fields without the id (the key after the prefix names it). */
function valueOf(instance: RegistryInstance): string {
  const { id: _id, ...value } = instance;
  return JSON.stringify(value);
}

export function etcdRegistry(url: string): EtcdRegistry {
  const clients = new Set<Etcd3>();
  const client = (): Etcd3 => {
    const made = new Etcd3({ hosts: url, dialTimeout: 5_000 });
    clients.add(made);
    return made;
  };
  return {
    async put(instance) {
      const etcd = client();
      try {
        await etcd.put(ETCD_PREFIX + instance.id).value(valueOf(instance));
      } finally {
        etcd.close();
        clients.delete(etcd);
      }
    },
    async putLeased(instance, ttlSeconds) {
      // This client stays open for the lease's keepalives; close() ends it.
      const lease = client().lease(ttlSeconds);
      await lease.put(ETCD_PREFIX + instance.id).value(valueOf(instance));
      return lease;
    },
    async remove(id) {
      const etcd = client();
      try {
        await etcd.delete().key(ETCD_PREFIX + id);
      } finally {
        etcd.close();
        clients.delete(etcd);
      }
    },
    async has(id) {
      const etcd = client();
      try {
        return (await etcd.get(ETCD_PREFIX + id).string()) !== null;
      } finally {
        etcd.close();
        clients.delete(etcd);
      }
    },
    close() {
      for (const etcd of clients) etcd.close();
      clients.clear();
    },
  };
}

/** The registry receiver's config for the etcd at `url`: reconnecting fast, for a restart under a running agent. */
export function etcdRegistryConfig(url: string): string {
  return `etcd: { endpoints: ["${url}"], prefix: ${ETCD_PREFIX}, max_retry_delay: 500ms }`;
}
