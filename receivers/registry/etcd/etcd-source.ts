import { Observable } from 'rxjs';
import type { RegistrySource, SourceUpdate } from '../source.js';
import type { EtcdSourceConfig } from './config.js';
import type { SourceContext } from '../sources.js';
import { PrefixFollower } from './prefix-follower.js';

/** etcd as a registry: every subscription has its own client, read and watch. */
export function createEtcdSource(config: EtcdSourceConfig, context: SourceContext): RegistrySource {
  return {
    description: `etcd ${config.endpoints.join(',')} ${config.prefix}`,
    updates: () =>
      new Observable<SourceUpdate>((subscriber) => {
        const follower = new PrefixFollower(config, context, (update) => subscriber.next(update));
        follower.start();
        return () => follower.close();
      }),
  };
}
