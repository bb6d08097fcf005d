export { etcdSourceSchema, DEFAULT_ETCD_PREFIX } from './config.js';
export type { EtcdSourceConfig } from './config.js';
export { createEtcdSource } from './etcd-source.js';
