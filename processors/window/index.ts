export { windowProcessor } from './factory.js';
export { windowConfigSchema, DEFAULT_AGGREGATES } from './config.js';
export type { WindowConfig } from './config.js';
export { AGGREGATES } from './aggregates.js';
export type { Aggregate } from './aggregates.js';
export { tumblingWindow } from './tumbling-window.js';
export type { TumblingWindowOptions, WindowStateView } from './tumbling-window.js';
export type { WindowDropReason } from './window-state.js';
