export * from './reader.js';
export { createHistoryReader, MAX_RANGE_STEPS } from './store-reader.js';
export { HISTORY_MIGRATIONS, HISTORY_OWNER, MINUTE_MS, HOUR_MS } from './schema.js';
export { HistorySketch, SKETCH_RELATIVE_ACCURACY, MAX_SKETCH_BUCKETS } from './sketch.js';
export { encodeRawChunk, forEachRawPoint } from './raw-chunk.js';
export { exactQuantile } from './step-aggregate.js';
export { RollupFigures } from './rollup-figures.js';
export { floorMod } from './varint.js';
export { MAX_ANSWER_STEPS, attributeFilter } from './query-words.js';
