import { HealthpipeError } from '../errors.js';
import type { AnyFactory, FactoryKind } from './types.js';

/** Every component type the running binary knows: the built-ins plus loaded plugins. */
export class ComponentRegistry {
  private readonly factories = new Map<string, AnyFactory>();

  constructor(factories: readonly AnyFactory[] = []) {
    for (const factory of factories) this.add(factory);
  }

  add(factory: AnyFactory, source = 'built-in'): void {
    const key = `${factory.kind}:${factory.type}`;
    if (this.factories.has(key)) {
      throw new HealthpipeError('PLUGIN_INVALID', `${factory.kind} type "${factory.type}" from ${source} is already registered`);
    }
    this.factories.set(key, factory);
  }

  get(kind: FactoryKind, type: string): AnyFactory | undefined {
    return this.factories.get(`${kind}:${type}`);
  }

  types(kind: FactoryKind): string[] {
    return this.all()
      .filter((factory) => factory.kind === kind)
      .map((factory) => factory.type);
  }

  all(): AnyFactory[] {
    return [...this.factories.values()];
  }
}
