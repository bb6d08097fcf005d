import { Composer, Lexer, Parser, type CST, type Document, type LineCounter } from 'yaml';
import { MAX_NESTING_DEPTH } from './limits.js';

export type YamlRead =
  | {
      ok: true;
      document: Document.Parsed;
      /** Where a second document starts (`---`), when the file holds several. */
      secondDocumentAt?: number;
    }
  | { ok: false; tooDeepAt: number };

const COLLECTIONS: ReadonlySet<string> = new Set(['block-map', 'block-seq', 'flow-collection']);

/**
 * `parseDocument`, with the concrete-syntax parser driven one lexeme at a time so that
 * nesting past MAX_NESTING_DEPTH stops reading where the limit is crossed: yaml's composer
 * recurses once per level and would report a stack overflow at a meaningless position.
 * Keys are not checked for uniqueness here (yaml compares each key with every earlier one,
 * quadratic in a map's size); the located tree does it with a map.
 */
export function readYamlDocument(text: string, lineCounter: LineCounter): YamlRead {
  const parser = new Parser(lineCounter.addNewLine);
  lineCounter.addNewLine(0);
  const tokens: CST.Token[] = [];
  for (const lexeme of new Lexer().lex(text)) {
    for (const token of parser.next(lexeme)) tokens.push(token);
    // The stack holds the document, the open collections and at most a scalar being read.
    if (parser.stack.length > MAX_NESTING_DEPTH + 1) {
      const crossing = parser.stack.filter((token) => COLLECTIONS.has(token.type))[MAX_NESTING_DEPTH];
      if (crossing !== undefined) return { ok: false, tooDeepAt: crossing.offset };
    }
  }
  for (const token of parser.end()) tokens.push(token);
  let document: Document.Parsed | undefined;
  for (const composed of new Composer({ uniqueKeys: false }).compose(tokens, true, text.length)) {
    if (document !== undefined) return { ok: true, document, secondDocumentAt: composed.range[0] };
    document = composed;
  }
  // compose(…, forceDoc) always yields a document, even for an empty text.
  return { ok: true, document: document! };
}
