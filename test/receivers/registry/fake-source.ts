import { Subject, type Observable } from 'rxjs';
import type { RegistryEntry, RegistrySource, SourceUpdate } from '../../../receivers/registry/source.js';

/** A source the test drives: `set` and `down` reach the receiver at once. */
export class FakeSource implements RegistrySource {
  readonly description = 'fake registry';
  private readonly subject = new Subject<SourceUpdate>();

  updates(): Observable<SourceUpdate> {
    return this.subject.asObservable();
  }

  set(entries: RegistryEntry[]): void {
    this.subject.next({ kind: 'set', entries });
  }

  down(reason: string): void {
    this.subject.next({ kind: 'down', reason });
  }
}

/** An entry as a source gives it: `where` names the id, `seenAt` defaults to 0. */
export function entry(id: string, value: unknown, seenAt = 0): RegistryEntry {
  return { id, value, seenAt, where: `fake:${id}` };
}
