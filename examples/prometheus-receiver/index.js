// healthpipe-prometheus-receiver: a healthpipe plugin, written as any user would write one,
// against the public API only (`import … from 'healthpipe'`).
import { defineReceiver } from 'healthpipe';
import { prometheusConfigSchema } from './lib/config.js';
import { createPrometheusReceiver } from './lib/receiver.js';

/** The plugin API this plugin is written for; the agent refuses a plugin of another. */
export const apiVersion = 1;

export const prometheusReceiver = defineReceiver({
  type: 'prometheus',
  description: "Reads a service's Prometheus /metrics text endpoint into points, every interval",
  schema: prometheusConfigSchema,
  create: createPrometheusReceiver,
});

export const components = [prometheusReceiver];
