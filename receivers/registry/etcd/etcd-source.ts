import { defer, Observable, switchMap } from 'rxjs';
import type { RegistrySource, SourceUpdate } from '../source.js';
import type { EtcdSourceConfig } from './config.js';
import type { SourceContext } from '../sources.js';

/**
 * etcd as a registry: every subscription has its own client, read and watch. The client
 * (etcd3 with gRPC and protobufjs, ~9 MiB of heap) is loaded on the first subscription, not
 * when the agent starts: an agent that follows no etcd does not carry it, nor collect it.
 */
export function createEtcdSource(config: EtcdSourceConfig, context: SourceContext): RegistrySource {
  return {
    description: `etcd ${config.endpoints.join(',')} ${config.prefix}`,
    updates: () =>
      defer(() => import('./prefix-follower.js')).pipe(
        switchMap(
          ({ PrefixFollower }) =>
            new Observable<SourceUpdate>((subscriber) => {
              const follower = new PrefixFollower(config, context, (update) => subscriber.next(update));
              follower.start();
              return () => follower.close();
            }),
        ),
      ),
  };
}
