import type { ComponentRegistry } from '../component/registry.js';
import { KIND_SECTIONS, type AnyFactory, type ComponentKind } from '../component/types.js';
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
  kind: ComponentKind,
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
 * No extension types exist yet, so any extension written is an unknown type; an empty or
 * absent `extensions:` section is fine. Returns the ids written, for `service.extensions`.
 */
export function checkExtensionSection(section: Readonly<Record<string, unknown>>, problems: ProblemCollector): Set<string> {
  for (const id of Object.keys(section)) {
    const parsed = parseComponentId(id);
    problems.at(
      ['extensions', id],
      parsed.ok ? unknownTypeMessage('extension', parsed.type, []) : `invalid extension id "${id}": ${COMPONENT_ID_RULE}`,
      'key',
    );
  }
  return new Set(Object.keys(section));
}
