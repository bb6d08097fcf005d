import { startDiscoveredService, type DiscoveredService } from './discovered-service.js';
import { DiscoveryRun } from './discovery-run.js';
import { Programs } from './programs.js';

/**
 * Everything one discovery scenario starts, stopped in afterEach: the run (its agent and
 * directory), the services it registers (health endpoint and process each), any other
 * programs, and whatever else the test hands to `onStop` (etcd, an http_sd endpoint).
 *
 *   const fixture = new DiscoveryFixture();
 *   afterEach(() => fixture.stop());
 *   const run = fixture.begin('etcd');
 *   const api = await fixture.service('api-1', 'api');
 */
export class DiscoveryFixture {
  readonly programs = new Programs();
  private current: DiscoveryRun | undefined;
  private readonly services: DiscoveredService[] = [];
  private readonly cleanups: (() => unknown)[] = [];

  begin(name: string): DiscoveryRun {
    this.current = new DiscoveryRun(name);
    return this.current;
  }

  get run(): DiscoveryRun {
    if (this.current === undefined) throw new Error('begin() first');
    return this.current;
  }

  async service(id: string, name: string): Promise<DiscoveredService> {
    const started = await startDiscoveredService(this.programs, id, name);
    this.services.push(started);
    return started;
  }

  /** Runs `cleanup` at stop(), after the agent stopped, in reverse order of registration. */
  onStop(cleanup: () => unknown): void {
    this.cleanups.push(cleanup);
  }

  async stop(): Promise<void> {
    try {
      await this.current?.stop();
    } finally {
      this.current = undefined;
      for (const cleanup of this.cleanups.splice(0).reverse()) await cleanup();
      await Promise.all(this.services.splice(0).map((service) => service.stop()));
      await this.programs.stopAll();
    }
  }
}
