import { KIND_SECTIONS } from '../component/types.js';
import type { ProblemCollector } from './collector.js';
import type { SectionComponents } from './components.js';
import { asMap } from './values.js';

/** The config key by which a receiver takes its targets from other receivers (discovery). */
const TARGETS_FROM = 'targets_from';

/**
 * Every id in a receiver's `targets_from` must be a receiver of this configuration. Checked
 * on configs that passed their schema, so a malformed list is reported once, by the schema.
 */
export function checkTargetSources(receivers: SectionComponents, problems: ProblemCollector): void {
  for (const [id, component] of receivers.configs) {
    const sources = asMap(component.config)?.[TARGETS_FROM];
    if (!Array.isArray(sources)) continue;
    sources.forEach((source: unknown, index) => {
      if (typeof source !== 'string' || receivers.defined.has(source)) return;
      problems.at(
        [KIND_SECTIONS.receiver, id, TARGETS_FROM, index],
        `${TARGETS_FROM} names "${source}", which is not a receiver in this configuration`,
      );
    });
  }
}
