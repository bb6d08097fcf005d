/** One figure of a benchmark, printed beside the references measured in the same run. */
export interface BenchRow {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** What this row is: the measured component, or the reference it is compared with. */
  readonly role: 'measured' | 'reference';
  readonly note?: string;
}

export interface BenchSection {
  readonly title: string;
  /** The target from DESIGN.md section 6, in words. */
  readonly target: string;
  readonly rows: readonly BenchRow[];
}

/** Every bench module exports `run` with this shape; bench/run.ts calls them in turn. */
export type BenchModule = () => Promise<BenchSection>;
