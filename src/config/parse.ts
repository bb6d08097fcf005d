import { LineCounter, type YAMLError } from 'yaml';
import { MAX_NESTING_DEPTH } from './limits.js';
import type { LocatedNode, SourcePosition } from './located.js';
import type { ConfigProblem } from './problem.js';
import { toLocatedTree } from './to-located.js';
import { readYamlDocument } from './yaml-document.js';

export type ParsedSource = { ok: true; root: LocatedNode } | { ok: false; problems: ConfigProblem[] };

/**
 * Parses one YAML file into a located tree. Syntax errors become problems with their line
 * and column; their messages never quote the source line, which could show a secret.
 */
export function parseYamlSource(file: string, text: string): ParsedSource {
  const lineCounter = new LineCounter();
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const read = readYamlDocument(text, lineCounter);
  if (!read.ok) {
    return {
      ok: false,
      problems: [{ ...at(read.tooDeepAt), path: '', message: `nested deeper than ${MAX_NESTING_DEPTH} levels of maps and lists` }],
    };
  }
  const { document, secondDocumentAt } = read;
  const problems = document.errors.map((error) => syntaxProblem(file, error, at));
  if (secondDocumentAt !== undefined) {
    problems.push({
      ...at(secondDocumentAt),
      path: '',
      message: 'YAML syntax error: a configuration file holds one YAML document, this one has several (---)',
    });
  }
  if (problems.length > 0) return { ok: false, problems };
  const contents = document.contents;
  // An empty file (or only comments) contributes nothing, as an empty map.
  if (contents === null) return { ok: true, root: { kind: 'map', position: at(0), entries: new Map() } };
  return toLocatedTree(contents, at);
}

function syntaxProblem(file: string, error: YAMLError, at: (offset: number) => SourcePosition): ConfigProblem {
  const offset = error.pos[0];
  return {
    ...(offset >= 0 ? at(offset) : { file }),
    path: '',
    // Unprettified, yaml's message is one sentence; keep only its first line all the same.
    message: `YAML syntax error: ${(error.message.split('\n')[0] ?? '').trim()}`,
  };
}
