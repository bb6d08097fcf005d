export { defineReceiver, defineProcessor, defineExporter, defineExtension } from './define.js';
export { ComponentRegistry } from './registry.js';
export { collectEach } from './collect-each.js';
export type {
  AnyFactory,
  ComponentContext,
  ComponentKind,
  Exporter,
  ExporterFactory,
  Extension,
  ExtensionContext,
  ExtensionFactory,
  FactoryKind,
  ProcessorFactory,
  ReceiverFactory,
} from './types.js';
export type { Logger, LogLevel } from './logger.js';
export type { ComponentTelemetry, TelemetryDetail } from './telemetry.js';
export type { AppendLog, ComponentStorage, KeyValueStore, LogRecord, StoreDatabase, TableMigration } from './storage.js';
export type { ComponentError, ComponentState, ComponentStatus, ComponentStatusReader, StatusReporter } from './status.js';
export type { RuntimeSilence, SilenceBook, SilenceInit } from './silences.js';
export type { ServiceInstance, TargetSet } from './targets.js';
export type { DiscoveredSet, Discovery, DiscoveryNeeds, PublishedSet } from './discovery.js';
export { DiscoveryBoard } from './discovery-board.js';
export { configuredAndDiscovered, knownInstances } from './configured-and-discovered.js';
