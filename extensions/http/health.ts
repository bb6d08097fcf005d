import { isoTime, type HistoryReader, type ServiceOverview } from '../../src/index.js';
import { Refusal, bounded, quoted, sendJson } from './answer.js';
import { healthStatusOf, httpStatusOf, worstStatus, type HealthStatus } from './health-status.js';
import { latestRecord } from './records.js';
import type { Handler } from './routes.js';

const MEDIA_TYPE = 'application/health+json';
/** Firing alerts listed per service in one answer at most. */
const MAX_ALERTS = 100;
/** Series of one service shown with their newest value at most. */
const MAX_LATEST = 500;

// `/health` and `/health/SERVICE` in draft-inadarei-api-health-check-06's format: one check
// per service (all services) or per firing alert (one service); output is left out on pass.

function levelCheck(service: ServiceOverview) {
  const status = healthStatusOf(service.level);
  return {
    componentId: service.service,
    componentType: 'component',
    observedValue: service.level,
    status,
    time: isoTime(service.levelSince ?? service.lastPoint ?? service.lastEvent ?? 0),
    output: status === 'pass' ? undefined : outputOf(service),
  };
}

function outputOf(service: ServiceOverview): string {
  if (service.levelSince === undefined) return 'points but no health event yet: no level';
  return `level ${service.level}, ${service.firing} alert(s) firing`;
}

export function allServicesHealth(history: HistoryReader): Handler {
  return ({ response }) => {
    const services = history.services();
    const checks: Record<string, ReturnType<typeof levelCheck>[]> = {};
    for (const service of services) checks[`${checkName(service.service)}:level`] = [levelCheck(service)];
    const status: HealthStatus = history.available() ? worstStatus(services.map((service) => healthStatusOf(service.level))) : 'warn';
    sendJson(
      response,
      httpStatusOf(status),
      {
        status,
        description: 'healthpipe: the level of every monitored service',
        output: history.available() ? undefined : 'no history exporter has written to this agent\'s store: no service is known',
        checks,
      },
      MEDIA_TYPE,
    );
  };
}

export function oneServiceHealth(history: HistoryReader): Handler {
  return ({ response, captures }) => {
    const name = captures[0]!;
    const service = history.service !== undefined ? history.service(name) : history.services().find((candidate) => candidate.service === name);
    if (service === undefined) throw new Refusal(404, `no service ${quoted(name)} in the history`);
    const status = healthStatusOf(service.level);
    const checks: Record<string, unknown[]> = { level: [levelCheck(service)] };
    for (const alert of history.alerts({ service: name, firing: true, limit: MAX_ALERTS })) {
      const alertStatus = healthStatusOf(alert.level);
      (checks[`${checkName(alert.rule)}:alert`] ??= []).push({
        componentId: alert.fingerprint,
        componentType: 'component',
        observedValue: alert.value,
        status: alertStatus,
        time: isoTime(alert.time),
        output: alertStatus === 'pass' ? undefined : bounded(alert.message ?? `${alert.rule} is ${alert.level}`),
      });
    }
    sendJson(
      response,
      httpStatusOf(status),
      {
        status,
        serviceId: service.service,
        description: `healthpipe: ${service.service}`,
        output: status === 'pass' ? undefined : outputOf(service),
        checks,
        // Not in the draft's vocabulary, so outside `checks`: the service's newest figures.
        latest: history.latest(name).slice(0, MAX_LATEST).map(latestRecord),
      },
      MEDIA_TYPE,
    );
  };
}

/** A check key is `component:measurement`, with no `:` inside either part. */
function checkName(name: string): string {
  return name.replaceAll(':', '_');
}
