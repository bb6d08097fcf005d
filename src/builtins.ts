import { ComponentRegistry } from './component/registry.js';
import type { SelfTelemetry } from './telemetry/self-telemetry.js';
import { processReceiver } from '../receivers/process/index.js';
import { healthCheckReceiver } from '../receivers/health_check/index.js';
import { registryReceiver } from '../receivers/registry/index.js';
import { hostReceiver } from '../receivers/host/index.js';
import { createInternalReceiverFactory } from '../receivers/internal/index.js';
import { windowProcessor } from '../processors/window/index.js';
import { thresholdProcessor } from '../processors/threshold/index.js';
import { cooldownProcessor } from '../processors/cooldown/index.js';
import { filterProcessor } from '../processors/filter/index.js';
import { attributesProcessor } from '../processors/attributes/index.js';
import { batchProcessor } from '../processors/batch/index.js';
import { consoleExporter } from '../exporters/console/index.js';
import { alertmanagerExporter } from '../exporters/alertmanager/index.js';
import { webhookExporter } from '../exporters/webhook/index.js';
import { fileExporter } from '../exporters/file/index.js';
import { prometheusExporter } from '../exporters/prometheus/index.js';
import { otlpExporter } from '../exporters/otlp/index.js';
import { httpExtension } from '../extensions/http/index.js';
import { historyExporter } from '../exporters/history/index.js';

/** Every built-in component type. The `internal` receiver reads this runtime's own telemetry. */
export function builtinRegistry(selfTelemetry: SelfTelemetry): ComponentRegistry {
  return new ComponentRegistry([
    processReceiver,
    healthCheckReceiver,
    registryReceiver,
    hostReceiver,
    createInternalReceiverFactory(selfTelemetry),
    windowProcessor,
    thresholdProcessor,
    cooldownProcessor,
    filterProcessor,
    attributesProcessor,
    batchProcessor,
    consoleExporter,
    alertmanagerExporter,
    webhookExporter,
    fileExporter,
    prometheusExporter,
    otlpExporter,
    httpExtension,
    historyExporter,
  ]);
}
