import type { z } from 'zod';
import type { Signal } from '../model/signal.js';
import type { ExporterFactory, ExtensionFactory, ProcessorFactory, ReceiverFactory } from './types.js';

type Definition<F extends { kind: string }> = Omit<F, 'kind'>;

function checkType(type: string): void {
  if (!/^[a-z][a-z0-9_]*$/.test(type)) {
    throw new TypeError(`component type "${type}" must be lower_snake_case (letters, digits, _)`);
  }
}

export function defineReceiver<S extends z.ZodType>(definition: Definition<ReceiverFactory<S>>): ReceiverFactory<S> {
  checkType(definition.type);
  return { kind: 'receiver', ...definition };
}

export function defineProcessor<S extends z.ZodType, In extends Signal, Out extends Signal>(
  definition: Definition<ProcessorFactory<S, In, Out>>,
): ProcessorFactory<S, In, Out> {
  checkType(definition.type);
  return { kind: 'processor', ...definition };
}

export function defineExporter<S extends z.ZodType, Sig extends Signal>(
  definition: Definition<ExporterFactory<S, Sig>>,
): ExporterFactory<S, Sig> {
  checkType(definition.type);
  return { kind: 'exporter', ...definition };
}

export function defineExtension<S extends z.ZodType>(definition: Definition<ExtensionFactory<S>>): ExtensionFactory<S> {
  checkType(definition.type);
  return { kind: 'extension', ...definition };
}
