import type { ComponentRegistry } from '../component/registry.js';
import { FACTORY_KINDS, KIND_SECTIONS, type AnyFactory, type FactoryKind } from '../component/types.js';
import type { ProblemCollector } from './collector.js';
import { COMPONENT_ID_RULE, parseComponentId } from './component-id.js';
import { configFingerprint } from './fingerprint.js';
import { markedSecretTexts } from './schema-secrets.js';
import { unknownName } from './suggest.js';
import type { ConfigTree } from './tree.js';
import type { ComponentConfig } from './types.js';
import { validateAt } from './validate.js';

export interface SectionComponents {
  /** Every id written in the section, with its factory when the type is known: what pipelines may reference. */
  readonly defined: Map<string, AnyFactory | undefined>;
  /** Components whose id, type and config are all valid. */
  readonly configs: Map<string, ComponentConfig>;
}

/** Checks each component of a section: its id, that its type exists, and its config against the factory's schema. */
export function resolveSection(
  kind: FactoryKind,
  section: Readonly<Record<string, unknown>>,
  registry: ComponentRegistry,
  tree: ConfigTree,
  problems: ProblemCollector,
): SectionComponents {
  const sectionKey = KIND_SECTIONS[kind];
  const defined = new Map<string, AnyFactory | undefined>();
  const configs = new Map<string, ComponentConfig>();
  for (const [id, written] of Object.entries(section)) {
    const path = [sectionKey, id];
    const parsed = parseComponentId(id);
    if (!parsed.ok) {
      defined.set(id, undefined);
      problems.at(path, `invalid ${kind} id "${id}": ${COMPONENT_ID_RULE}`, 'key');
      continue;
    }
    const factory = registry.get(kind, parsed.type);
    defined.set(id, factory);
    if (factory === undefined) {
      problems.at(path, unknownTypeMessage(kind, parsed.type, registry.types(kind)), 'key');
      continue;
    }
    // `console:` with nothing after it means `{}`.
    const raw = written ?? {};
    const marked = markedSecretTexts(factory.schema, raw);
    for (const text of marked) tree.secretValues.add(text);
    problems.protect(marked);
    const result = validateAt(factory.schema, path, raw, tree, problems, `${kind} "${id}"`);
    if (!result.ok) continue;
    configs.set(id, {
      id,
      kind,
      type: parsed.type,
      ...(parsed.name === undefined ? {} : { name: parsed.name }),
      factory,
      config: result.value,
      fingerprint: configFingerprint(raw),
    });
  }
  return { defined, configs };
}

export function unknownTypeMessage(kind: string, type: string, known: readonly string[]): string {
  return unknownName(`unknown ${kind} type "${type}"`, type, [...known].sort(), {
    label: `known ${kind} types`,
    empty: `no ${kind} types are available`,
  });
}

/**
 * A factory marked `single` (one `history` store per agent) may have one component per
 * configuration: each further one is a problem at its key.
 */
export function checkSingleTypes(
  sections: Readonly<Record<FactoryKind, SectionComponents>>,
  problems: ProblemCollector,
): void {
  for (const kind of FACTORY_KINDS) {
    const first = new Map<string, string>();
    for (const [id, factory] of sections[kind].defined) {
      if (factory?.single !== true) continue;
      const earlier = first.get(factory.type);
      if (earlier === undefined) first.set(factory.type, id);
      else problems.at([KIND_SECTIONS[kind], id], `only one ${factory.type} ${kind} per configuration: "${earlier}" is defined already`, 'key');
    }
  }
}
