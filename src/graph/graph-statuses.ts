import type { FactoryKind } from '../component/types.js';
import type { ResolvedConfig } from '../config/index.js';
import type { ComponentStatusBoard } from '../runtime/status-board.js';
import { reasonOf } from './reason.js';

/**
 * What the graph writes on the component-status facet, by component as the graph knows it
 * (a processor by its id and pipeline): created, running, failed with the error, restarted,
 * stopped, removed. Components write `degraded`/`recovered` themselves, through their context.
 */
export class GraphStatuses {
  constructor(private readonly board: () => ComponentStatusBoard) {}

  starting(kind: FactoryKind, id: string, pipeline?: string): void {
    this.set(kind, id, 'starting', pipeline);
  }

  /** Running; with an error, running but after a failure (a changed one that runs on with its previous config). */
  running(kind: FactoryKind, id: string, pipeline?: string, error?: unknown): void {
    this.set(kind, id, 'running', pipeline, error);
  }

  failed(kind: FactoryKind, id: string, error: unknown, pipeline?: string): void {
    this.set(kind, id, 'failed', pipeline, error);
  }

  /** The graph restarted it after a failure: counted, and running again. */
  restarted(id: string, pipeline?: string): void {
    this.board().restarted(scopedId(id, pipeline));
  }

  stopped(kind: FactoryKind, id: string, pipeline?: string): void {
    this.set(kind, id, 'stopped', pipeline);
  }

  /** No longer part of the graph (made for an apply that did not go on). */
  remove(id: string, pipeline?: string): void {
    this.board().remove(scopedId(id, pipeline));
  }

  /** Made for an apply that did not go on: unlisted, unless it is the one that failed (it says why). */
  removeUnlessFailed(id: string): void {
    const board = this.board();
    if (board.get(id)?.state !== 'failed') board.remove(id);
  }

  /** After an apply: what the configuration no longer has is removed. */
  keepOnly(config: ResolvedConfig): void {
    const wanted = new Set([...config.receivers.keys(), ...config.exporters.keys(), ...config.extensions.keys()]);
    for (const pipeline of config.pipelines) {
      for (const id of pipeline.processors) wanted.add(scopedId(id, pipeline.id));
    }
    const board = this.board();
    for (const status of board.list()) if (!wanted.has(status.id)) board.remove(status.id);
  }

  /** The stop is over: whatever is still listed as working was stopped with it. */
  stopAll(): void {
    const board = this.board();
    for (const status of board.list()) {
      if (status.state !== 'stopped') this.set(status.kind, status.id, 'stopped', status.pipeline, undefined, true);
    }
  }

  private set(kind: FactoryKind, id: string, state: 'starting' | 'running' | 'failed' | 'stopped', pipeline?: string, error?: unknown, scoped = false): void {
    const options = {
      ...(pipeline === undefined ? {} : { pipeline }),
      ...(error === undefined ? {} : { error: reasonOf(error) }),
    };
    this.board().set(scoped ? id : scopedId(id, pipeline), kind, state, options);
  }
}

/** The id the facet lists a component by: `pipeline/id` for a processor (one instance per pipeline). */
export function scopedId(id: string, pipeline?: string): string {
  return pipeline === undefined ? id : `${pipeline}/${id}`;
}
