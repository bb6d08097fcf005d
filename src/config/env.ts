import { isScalar, parseDocument } from 'yaml';

export type Environment = Readonly<Record<string, string | undefined>>;

export type Expansion =
  | {
      ok: true;
      text: string;
      /** The whole text was exactly one `${env:…}` reference (then it is re-read as a YAML scalar). */
      wholeReference: boolean;
      /** Text that came from the environment, so messages can be scrubbed of it. */
      environmentValues: string[];
      /**
       * What each reference stood for — the variable's value, or its default — with the
       * variable's name: a variable named like a secret makes its value a secret (its
       * default too: `${env:API_TOKEN:-dev-token}` names a token either way).
       */
      variables: EnvironmentValue[];
    }
  | { ok: false; message: string };

export interface EnvironmentValue {
  readonly variable: string;
  readonly value: string;
}

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Expands `${env:VAR}` and `${env:VAR:-default}` (default when unset or empty, as in the
 * shell) and turns `$$` into `$`. Messages name the variable, never a value.
 */
export function expandEnvReferences(text: string, environment: Environment): Expansion {
  let out = '';
  let references = 0;
  const environmentValues: string[] = [];
  const variables: EnvironmentValue[] = [];
  let index = 0;
  while (index < text.length) {
    const dollar = text.indexOf('$', index);
    if (dollar === -1) {
      out += text.slice(index);
      break;
    }
    out += text.slice(index, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      index = dollar + 2;
      continue;
    }
    if (next !== '{') {
      out += '$';
      index = dollar + 1;
      continue;
    }
    const close = text.indexOf('}', dollar);
    if (close === -1) return { ok: false, message: 'a "${" reference has no closing "}" (write $$ for a literal $)' };
    const body = text.slice(dollar + 2, close);
    const resolved = resolveReference(body, environment);
    if (!resolved.ok) return resolved;
    if (resolved.fromEnvironment) environmentValues.push(resolved.value);
    variables.push({ variable: resolved.variable, value: resolved.value });
    out += resolved.value;
    references += 1;
    index = close + 1;
  }
  const wholeReference = references === 1 && /^\$\{[^}]*\}$/.test(text);
  return { ok: true, text: out, wholeReference, environmentValues, variables };
}

function resolveReference(
  body: string,
  environment: Environment,
): { ok: true; value: string; variable: string; fromEnvironment: boolean } | { ok: false; message: string } {
  if (!body.startsWith('env:')) {
    const scheme = /^[A-Za-z_][A-Za-z0-9_]*/.exec(body)?.[0] ?? '';
    return {
      ok: false,
      message: `unsupported reference "\${${scheme}…}": write \${env:NAME} or \${env:NAME:-default}, or $$ for a literal $`,
    };
  }
  const rest = body.slice('env:'.length);
  const separator = rest.indexOf(':-');
  const name = separator === -1 ? rest : rest.slice(0, separator);
  if (!VARIABLE_NAME.test(name)) {
    return { ok: false, message: 'an ${env:…} reference needs a variable name of letters, digits and _' };
  }
  const value = environment[name];
  if (value !== undefined && (value !== '' || separator === -1)) return { ok: true, value, variable: name, fromEnvironment: true };
  if (separator !== -1) return { ok: true, value: rest.slice(separator + 2), variable: name, fromEnvironment: false };
  return { ok: false, message: `environment variable ${name} is not set (use \${env:${name}:-default} for a default)` };
}

/**
 * Reads the text of a whole `${env:…}` reference as a plain YAML scalar, so `${env:PORT}`
 * can be a number and `${env:ENABLED}` a boolean. Anything that is not one plain scalar
 * (a map, a list, a comment, quotes) stays the text it was.
 */
export function rereadScalar(text: string): unknown {
  if (text.trim() === '') return text;
  const document = parseDocument(text);
  const contents = document.contents;
  if (
    document.errors.length > 0 ||
    !isScalar(contents) ||
    contents.type !== 'PLAIN' ||
    document.comment ||
    document.commentBefore ||
    contents.comment ||
    contents.commentBefore
  ) {
    return text;
  }
  return contents.value;
}
