import type { z } from 'zod';
import { consoleConfigSchema } from '../../exporters/console/config.js';
import { windowConfigSchema } from '../../processors/window/config.js';
import { thresholdConfigSchema } from '../../processors/threshold/config.js';
import { internalReceiverSchema } from '../../receivers/internal/config.js';
import { processConfigSchema } from '../../receivers/process/config.js';
import { healthCheckConfigSchema } from '../../receivers/health_check/config.js';

/** The config schema of every built-in component, by type: for checks that must hold of all of them. */
export const receiverSchemas: Array<[string, z.ZodType]> = [
  ['process', processConfigSchema],
  ['internal', internalReceiverSchema],
  ['health_check', healthCheckConfigSchema],
];
export const processorSchemas: Array<[string, z.ZodType]> = [
  ['window', windowConfigSchema],
  ['threshold', thresholdConfigSchema],
];
export const exporterSchemas: Array<[string, z.ZodType]> = [['console', consoleConfigSchema]];
