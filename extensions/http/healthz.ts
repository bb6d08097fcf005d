import type { ComponentStatusReader } from '../../src/index.js';
import { sendJson } from './answer.js';
import { componentRecord } from './records.js';
import type { Handler } from './routes.js';

/** The agent itself: 200 when every component runs, 503 naming those that do not. */
export function agentHealth(components: ComponentStatusReader): Handler {
  return ({ response }) => {
    const all = components.list();
    const notRunning = all.filter((component) => component.state !== 'running');
    const healthy = notRunning.length === 0;
    sendJson(response, healthy ? 200 : 503, {
      status: healthy ? 'ok' : 'unhealthy',
      not_running: notRunning.map((component) => component.id),
      components: all.map(componentRecord),
    });
  };
}
