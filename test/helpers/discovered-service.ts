import type { ChildProcess } from 'node:child_process';
import { startHttpService, type RunningHttpService } from './http-service.js';
import type { Programs } from './programs.js';

/**
 * A service instance as a registry would list it, made of real parts: a local HTTP health
 * endpoint on a free 127.0.0.1 port (its `health_url`) and a process (its `pid`), so that
 * `health_check` and `process` following the registry both have something real to watch.
 *
 *   const api = await startDiscoveredService(programs, 'api-1', 'api');
 *   writeRegistry([api.entry]);           // { id, service, health_url, pid }
 *   api.http.requests                      // how many checks reached it
 *   await api.stop();
 */
export interface DiscoveredService {
  readonly id: string;
  readonly service: string;
  readonly http: RunningHttpService;
  readonly process: ChildProcess;
  readonly healthUrl: string;
  /** The registry entry: id, service, health_url, pid (and labels when given). */
  readonly entry: RegistryInstance;
  stop(): Promise<void>;
}

/** An instance as the registry's sources carry it (DESIGN §4, issue 7). */
export interface RegistryInstance {
  readonly id: string;
  readonly service: string;
  readonly host?: string;
  readonly port?: number;
  readonly health_url?: string;
  readonly pid?: number;
  readonly pid_file?: string;
  readonly labels?: Record<string, string>;
}

export async function startDiscoveredService(programs: Programs, id: string, service: string): Promise<DiscoveredService> {
  const http = await startHttpService();
  const process = programs.start('/bin/sleep', ['1000']);
  const healthUrl = `${http.url}/health`;
  return {
    id,
    service,
    http,
    process,
    healthUrl,
    entry: { id, service, health_url: healthUrl, pid: process.pid! },
    async stop() {
      await http.stop();
      await programs.stop(process);
    },
  };
}

/** An instance with only a process (no health endpoint): one whose process can go silent while it stays registered. */
export function processOnlyInstance(programs: Programs, id: string, service: string): { entry: RegistryInstance; process: ChildProcess } {
  const process = programs.start('/bin/sleep', ['1000']);
  return { entry: { id, service, pid: process.pid! }, process };
}
