import { stat } from 'node:fs/promises';
import { concatMap, defer, filter, from, type Observable } from 'rxjs';
import { readBoundedFile } from '../../../src/index.js';
import type { SourceContext } from '../sources.js';
import type { RegistrySource, SourceUpdate } from '../source.js';
import type { FileSourceConfig } from './config.js';
import { fileTriggers$, type FileTrigger } from './file-changes.js';
import { fileUpdate } from './file-entries.js';

/** A registry file that does not answer in this long is down for this look. */
const READ_TIMEOUT_MS = 5_000;

/** What identifies one version of the file without reading it; a missing file is its error code. */
async function signatureOf(path: string): Promise<string> {
  try {
    const stats = await stat(path, { bigint: true });
    return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`;
  } catch (error) {
    return `error:${(error as NodeJS.ErrnoException).code ?? 'UNKNOWN'}`;
  }
}

/**
 * A watched YAML or JSON file. Read at once, after each burst of changes, and whenever the
 * periodic check finds it changed; a check that finds it unchanged confirms the last read
 * again (its entries' `seenAt`), so heartbeats age only while the file is missing or broken.
 * A missing file is the registry down (not an empty one), waited for: an agent started
 * before the file is written follows it once it appears.
 */
export class FileSource implements RegistrySource {
  readonly description: string;

  constructor(
    private readonly config: FileSourceConfig,
    private readonly context: SourceContext,
  ) {
    this.description = `file ${config.path}`;
  }

  updates(): Observable<SourceUpdate> {
    return defer(() => {
      let last: { signature: string; update: SourceUpdate } | undefined;
      const look = async (trigger: FileTrigger): Promise<SourceUpdate | undefined> => {
        const signature = await signatureOf(this.config.path);
        if (trigger === 'poll' && last !== undefined && last.signature === signature) {
          const { update } = last;
          if (update.kind === 'down') return undefined;
          const now = this.context.scheduler.now();
          return { kind: 'set', entries: update.entries.map((entry) => ({ ...entry, seenAt: now })) };
        }
        const update = await this.read();
        last = { signature, update };
        return update;
      };
      const triggers$ = fileTriggers$(this.config.path, { pollMs: this.config.poll_interval, debounceMs: this.config.debounce }, this.context.scheduler);
      return triggers$.pipe(
        // A source never errors: whatever escapes a look is the registry down for that look.
        concatMap((trigger) => from(look(trigger).catch((error: unknown): SourceUpdate => ({ kind: 'down', reason: String(error) })))),
        filter((update): update is SourceUpdate => update !== undefined),
      );
    });
  }

  private async read(): Promise<SourceUpdate> {
    const { path, max_size } = this.config;
    let text: string;
    try {
      text = (await readBoundedFile(path, { maxBytes: max_size, timeoutMs: READ_TIMEOUT_MS, what: 'a registry file' })).toString('utf8');
    } catch (error) {
      return { kind: 'down', reason: error instanceof Error ? error.message : String(error) };
    }
    return fileUpdate(path, text, this.context.scheduler.now());
  }
}

export function createFileSource(config: FileSourceConfig, context: SourceContext): RegistrySource {
  return new FileSource(config, context);
}
