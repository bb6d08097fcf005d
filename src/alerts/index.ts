export {
  alertAnnotations,
  alertLabels,
  alertmanagerAlert,
  alertmanagerFingerprint,
  alertmanagerName,
  alertSummary,
  rfc3339,
  thresholdOf,
} from './alertmanager-alert.js';
export type { AlertmanagerAlert } from './alertmanager-alert.js';
export { DeliveredAlerts, alertOf } from './delivered-alerts.js';
export type { AlertChange, DeliveredAlert } from './delivered-alerts.js';
export { JsonPoster } from './json-post.js';
export type { JsonPostOptions } from './json-post.js';
export { redactedUrl } from './redacted-url.js';
