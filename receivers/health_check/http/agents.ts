import * as http from 'node:http';
import * as https from 'node:https';
import type { HttpCheckConfig } from './config.js';

/**
 * The connections of one check: an agent per protocol (a redirect may switch), made on
 * first use, keeping one idle socket per origin when `keep_alive` is on so that each tick
 * reuses it instead of connecting and shaking hands again.
 */
export class CheckAgents {
  private plain: http.Agent | undefined;
  private secure: https.Agent | undefined;

  constructor(
    private readonly config: Pick<HttpCheckConfig, 'keep_alive' | 'tls'>,
    /** Certificate authorities of `tls.ca_file` (PEM), once read. */
    private readonly ca?: Buffer,
  ) {}

  for(url: URL): http.Agent {
    if (url.protocol === 'https:') {
      this.secure ??= new https.Agent({
        keepAlive: this.config.keep_alive,
        maxFreeSockets: 1,
        rejectUnauthorized: !this.config.tls.insecure_skip_verify,
        ...(this.ca === undefined ? {} : { ca: this.ca }),
      });
      return this.secure;
    }
    this.plain ??= new http.Agent({ keepAlive: this.config.keep_alive, maxFreeSockets: 1 });
    return this.plain;
  }

  destroy(): void {
    this.plain?.destroy();
    this.secure?.destroy();
    this.plain = undefined;
    this.secure = undefined;
  }
}
