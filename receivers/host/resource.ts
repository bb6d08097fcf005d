import { hostname } from 'node:os';
import { Resource } from '../../src/index.js';

/**
 * The machine as a resource: `host.name` identifies it, as in OpenTelemetry's host
 * resource. `service.name` is there too because every part of healthpipe (the console's
 * rows, history queries, alert fingerprints) groups by service; the machine is the
 * "service" `host` unless configured otherwise, and, with `host.name`, its series stay
 * apart from another agent's machine in a shared backend.
 */
export function hostResource(service: string, name: string = hostname()): Resource {
  return new Resource({ 'service.name': service, 'service.instance.id': name, 'host.name': name });
}
