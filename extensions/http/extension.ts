import { parseListenAddress, type Extension, type ExtensionContext } from '../../src/index.js';
import { sendHtml } from './answer.js';
import type { HttpConfig } from './config.js';
import { allServicesHealth, oneServiceHealth } from './health.js';
import { agentHealth } from './healthz.js';
import { alertsApi, historyApi, servicesApi } from './history-api.js';
import { LiveUpdates } from './live-updates.js';
import { STATUS_PAGE } from './page/status-page.js';
import type { Route } from './routes.js';
import { ApiServer } from './server.js';
import { createSilence, expireSilence, listSilences } from './silences-api.js';
import { BearerToken } from './token.js';

/** The `http` extension: the API's routes over the agent's context, served from start to shutdown. */
export function createHttpExtension(config: HttpConfig, context: ExtensionContext): Extension {
  const { history, components, silences, scheduler, logger } = context;
  const token = new BearerToken(config.token);
  const live = new LiveUpdates(
    history,
    components,
    scheduler,
    { pollInterval: config.poll_interval, heartbeatInterval: config.heartbeat_interval, maxStreams: config.max_streams },
    logger,
  );
  const routes: Route[] = [
    { path: /^\/$/, methods: { GET: ({ response }) => sendHtml(response, STATUS_PAGE) } },
    { path: /^\/healthz$/, methods: { GET: agentHealth(components) } },
    { path: /^\/health$/, methods: { GET: allServicesHealth(history) } },
    { path: /^\/health\/([^/]+)$/, methods: { GET: oneServiceHealth(history) } },
    { path: /^\/api\/services$/, methods: { GET: servicesApi(history) } },
    { path: /^\/api\/history$/, methods: { GET: historyApi(history, scheduler) } },
    { path: /^\/api\/alerts$/, methods: { GET: alertsApi(history, scheduler) } },
    { path: /^\/api\/silences$/, methods: { GET: listSilences(silences), POST: createSilence(silences, token, scheduler) } },
    { path: /^\/api\/silences\/([^/]+)$/, methods: { DELETE: expireSilence(silences, token) } },
    { path: /^\/api\/events$/, methods: { GET: ({ request, response }) => live.open(request, response) } },
  ];
  // The schema checked the endpoint already.
  const server = new ApiServer(parseListenAddress(config.endpoint)!, routes, logger);
  return {
    start: () => server.start(),
    async shutdown() {
      live.close();
      await server.close();
    },
  };
}
