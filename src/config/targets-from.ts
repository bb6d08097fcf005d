import { KIND_SECTIONS, type ReceiverFactory } from '../component/types.js';
import type { ProblemCollector } from './collector.js';
import type { SectionComponents } from './components.js';
import { asMap } from './values.js';

/**
 * Every id a receiver lists as a source of its targets (the key its factory declares,
 * `targets_from`) must be a receiver of this configuration that publishes target sets.
 * Checked on configs that passed their schema, so a malformed list is reported once, by the
 * schema. Returns every id named as a source: being named counts as a use of that receiver.
 */
export function checkTargetSources(receivers: SectionComponents, problems: ProblemCollector): Set<string> {
  const named = new Set<string>();
  for (const [id, component] of receivers.configs) {
    const key = (component.factory as ReceiverFactory).discovery?.sourcesKey;
    if (key === undefined) continue;
    const sources = asMap(component.config)?.[key];
    if (!Array.isArray(sources)) continue;
    sources.forEach((source: unknown, index) => {
      if (typeof source !== 'string') return;
      named.add(source);
      const path = [KIND_SECTIONS.receiver, id, key, index];
      if (!receivers.defined.has(source)) {
        problems.at(path, `${key} names "${source}", which is not a receiver in this configuration`);
        return;
      }
      const factory = receivers.defined.get(source) as ReceiverFactory | undefined;
      // An unknown type already has its problem.
      if (factory !== undefined && factory.discovery?.publishes !== true) {
        problems.at(path, `${key} names "${source}", a ${factory.type} receiver, which publishes no targets (a registry does)`);
      }
    });
  }
  return named;
}
