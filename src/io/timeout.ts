/**
 * Settles like `work`, or rejects with `onTimeout()` after `ms` if `work` has not settled.
 * The work itself is not stopped (a system call cannot be), only no longer waited for.
 * A real timer on purpose: what it bounds is real I/O, not scheduled work.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
