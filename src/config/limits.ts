/**
 * Bounds on the shape of a configuration file. A configuration is small and shallow; these
 * sit far above any real one and far below what would exhaust the stack, the heap or the
 * patience of an operator waiting for `validate`.
 */

/** Maps and lists inside each other. The deepest built-in setting is 6 levels down. */
export const MAX_NESTING_DEPTH = 64;

/**
 * Nodes that aliases may add to one file, counting every repetition. Nested anchors that
 * repeat each other grow exponentially (a "billion laughs"): a few hundred bytes would
 * otherwise expand to billions of nodes.
 */
export const MAX_ALIAS_NODES = 100_000;

/** Alias uses in one file, counting those repeated inside other aliases. */
export const MAX_ALIASES = 10_000;
