import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from './agent.js';
import { alertingPipelineYaml, type AlertingPipelineOptions } from './alerting-pipeline.js';
import { startAlertmanager, type ApiAlert, type RunningAlertmanager } from './alertmanager.js';
import { startHttpRecorder, type RunningHttpRecorder } from './http-recorder.js';
import { startHttpService, type RunningHttpService, type ServiceBehaviour } from './http-service.js';

/**
 * What an end-to-end alerting run needs, started together and stopped together: a temp
 * directory (config and data_dir), a real Alertmanager whose webhook receiver posts to a
 * local recorder (what Alertmanager notified), a recording hop in front of its API (what
 * it accepted from the agent, in order), a local HTTP service to check, and the agent.
 */
export interface AlertingFixture {
  readonly dir: string;
  readonly am: RunningAlertmanager;
  /** In front of Alertmanager's API: point the agent's `alertmanager` sink at `hop.url`. */
  readonly hop: RunningHttpRecorder;
  /** Alertmanager's webhook receiver: its notifications (payload version 4). */
  readonly notifications: RunningHttpRecorder;
  /** The service the checks watch: its latency and status change at run time. */
  readonly service: RunningHttpService;
  /** Writes the pipeline (built from options, or as given) and makes an agent for it (not started). */
  agent(pipeline: AlertingPipelineOptions | string): Agent;
  /** Active alerts in Alertmanager with this alertname. */
  active(alertname: string): Promise<ApiAlert[]>;
  stop(): Promise<void>;
}

export async function startAlertingFixture(service: Partial<ServiceBehaviour> = {}): Promise<AlertingFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'healthpipe-e2e-alerts-'));
  const notifications = await startHttpRecorder();
  const am = await startAlertmanager({ webhookUrl: `${notifications.url}/`, groupWait: '50ms', groupInterval: '200ms' });
  const hop = await startHttpRecorder({ upstream: am.url });
  const checked = await startHttpService(service);
  const agents: Agent[] = [];
  return {
    dir,
    am,
    hop,
    notifications,
    service: checked,
    agent(pipeline) {
      const file = join(dir, 'pipeline.yaml');
      writeFileSync(file, typeof pipeline === 'string' ? pipeline : alertingPipelineYaml(pipeline));
      const agent = new Agent(file, dir);
      agents.push(agent);
      return agent;
    },
    async active(alertname) {
      return (await am.alerts()).filter((alert) => alert.labels['alertname'] === alertname && alert.status.state === 'active');
    },
    async stop() {
      for (const agent of agents) if (agent.running) await agent.stop('SIGKILL');
      await Promise.allSettled([am.stop(), hop.stop(), notifications.stop(), checked.stop()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One alert of a POST /api/v2/alerts body that Alertmanager accepted, in the order accepted. */
export interface PostedAlert {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly startsAt?: string;
  readonly endsAt?: string;
  /** resolved when endsAt was not after the moment Alertmanager answered. */
  readonly state: 'firing' | 'resolved';
  /** Index of the POST among the accepted ones. */
  readonly post: number;
}

/** Every alert the agent posted and Alertmanager accepted, flattened in order. */
export function postedAlerts(hop: RunningHttpRecorder, alertname?: string): PostedAlert[] {
  const posted: PostedAlert[] = [];
  hop.accepted('/api/v2/alerts').forEach((request, post) => {
    const body = JSON.parse(request.body) as Omit<PostedAlert, 'state' | 'post'>[];
    for (const alert of body) {
      if (alertname !== undefined && alert.labels['alertname'] !== alertname) continue;
      const ends = alert.endsAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(alert.endsAt);
      posted.push({ ...alert, state: ends <= request.answeredWallMs ? 'resolved' : 'firing', post });
    }
  });
  return posted;
}

/** One Alertmanager webhook notification (payload version 4), as its receiver got it. */
export interface WebhookNotification {
  readonly version: string;
  readonly status: 'firing' | 'resolved';
  readonly receiver: string;
  readonly groupKey: string;
  readonly alerts: {
    readonly status: 'firing' | 'resolved';
    readonly labels: Record<string, string>;
    readonly annotations: Record<string, string>;
    readonly startsAt: string;
    readonly endsAt: string;
    readonly fingerprint: string;
  }[];
}

export function webhookNotifications(recorder: RunningHttpRecorder): WebhookNotification[] {
  return recorder.accepted().map((request) => JSON.parse(request.body) as WebhookNotification);
}
