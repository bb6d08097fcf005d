import { Observable, type OperatorFunction, type Subscriber } from 'rxjs';

/** What a processor keeps per subscription: every batch goes to `add`; `dispose` cancels its timers. */
export interface OperatorState<In> {
  add(batch: In): void;
  /** Called when the source completes, before the output completes: emit what is held (a window's open figures). */
  flush?(): void;
  dispose(): void;
}

/**
 * The operator of a processor whose state lives in a class made per subscription (a class
 * rather than closures, so its hot methods are compiled once for every subscriber). Errors
 * pass on; on complete the state flushes, then the output completes; unsubscribing
 * disposes of it.
 */
export function statefulOperator<In, Out, S extends OperatorState<In>>(
  makeState: (subscriber: Subscriber<Out>) => S,
): OperatorFunction<In, Out> {
  return (source) =>
    new Observable<Out>((subscriber) => {
      const state = makeState(subscriber);
      subscriber.add(
        source.subscribe({
          next: (batch) => state.add(batch),
          error: (error: unknown) => subscriber.error(error),
          complete: () => {
            state.flush?.();
            subscriber.complete();
          },
        }),
      );
      return () => state.dispose();
    });
}
