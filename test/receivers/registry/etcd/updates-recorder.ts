import type { Subscription } from 'rxjs';
import type { RegistryEntry, RegistrySource, SourceUpdate } from '../../../../receivers/registry/source.js';

/** The updates a source has sent, and a wait for the next one a test expects (bounded in wall-clock time). */
export interface UpdatesRecorder {
  readonly updates: SourceUpdate[];
  /** Resolves with the first update not looked at yet (recorded or still to come) that `matches`; those before it are passed. */
  next(matches: (update: SourceUpdate) => boolean, timeoutMs?: number): Promise<SourceUpdate>;
  /** The next `set` whose entries, by id, satisfy `matches`. */
  nextSet(matches: (byId: Map<string, RegistryEntry>) => boolean, timeoutMs?: number): Promise<Map<string, RegistryEntry>>;
  stop(): void;
}

export function recordUpdates(source: RegistrySource): UpdatesRecorder {
  const updates: SourceUpdate[] = [];
  let consumed = 0;
  const waiting = new Set<() => void>();
  const subscription: Subscription = source.updates().subscribe((update) => {
    updates.push(update);
    for (const wake of [...waiting]) wake();
  });
  const next = (matches: (update: SourceUpdate) => boolean, timeoutMs = 15_000): Promise<SourceUpdate> =>
    new Promise((resolve, reject) => {
      const look = (): boolean => {
        while (consumed < updates.length) {
          const update = updates[consumed++]!;
          if (matches(update)) {
            resolve(update);
            return true;
          }
        }
        return false;
      };
      if (look()) return;
      const timer = setTimeout(() => {
        waiting.delete(wake);
        reject(new Error(`no matching update within ${timeoutMs} ms; got ${JSON.stringify(updates)}`));
      }, timeoutMs);
      const wake = (): void => {
        if (!look()) return;
        clearTimeout(timer);
        waiting.delete(wake);
      };
      waiting.add(wake);
    });
  return {
    updates,
    next,
    async nextSet(matches, timeoutMs) {
      const update = await next((update) => update.kind === 'set' && matches(byId(update.entries)), timeoutMs);
      return byId(update.kind === 'set' ? update.entries : []);
    },
    stop: () => subscription.unsubscribe(),
  };
}

function byId(entries: readonly RegistryEntry[]): Map<string, RegistryEntry> {
  return new Map(entries.map((entry) => [entry.id, entry]));
}
