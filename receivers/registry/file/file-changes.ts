import { watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import { debounceTime, defer, map, merge, Observable, of, repeat, timer, type SchedulerLike } from 'rxjs';

/** Why the file should be looked at: the first look, a change event, or the periodic check. */
export type FileTrigger = 'start' | 'event' | 'poll';

/**
 * Change events of one file, through a watch on its directory (a watch on the file itself
 * is lost when an editor renames a new file over it). Completes when the watch cannot be
 * made or breaks (the directory does not exist, or was removed): the caller makes it again.
 */
function directoryEvents$(path: string): Observable<void> {
  return new Observable<void>((subscriber) => {
    const name = basename(path);
    let watcher: ReturnType<typeof watch>;
    try {
      watcher = watch(dirname(path), { persistent: false }, (_event, filename) => {
        // Some platforms give no name: any event of the directory may be ours.
        if (filename === null || filename === name) subscriber.next();
      });
    } catch {
      subscriber.complete();
      return undefined;
    }
    watcher.on('error', () => subscriber.complete());
    return () => watcher.close();
  });
}

/**
 * When to look at the file: at once, after each burst of change events (debounced), and
 * every `pollMs` (editors that swap a symlink, file systems without events, a directory
 * that appears later). A watch that cannot be made is tried again every `pollMs`.
 */
export function fileTriggers$(path: string, options: { pollMs: number; debounceMs: number }, scheduler: SchedulerLike): Observable<FileTrigger> {
  const events$ = defer(() => directoryEvents$(path)).pipe(repeat({ delay: () => timer(options.pollMs, scheduler) }));
  return merge(
    of<FileTrigger>('start'),
    events$.pipe(
      debounceTime(options.debounceMs, scheduler),
      map((): FileTrigger => 'event'),
    ),
    timer(options.pollMs, options.pollMs, scheduler).pipe(map((): FileTrigger => 'poll')),
  );
}
