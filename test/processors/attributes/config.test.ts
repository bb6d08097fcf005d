import { describe, expect, it } from 'vitest';
import { attributesProcessor } from '../../../processors/attributes/index.js';

function paths(config: unknown): string[] {
  const result = attributesProcessor.schema.safeParse(config);
  return (result.error?.issues ?? []).map((issue) => issue.path.join('.') || issue.code).sort();
}

describe('attributes processor: config', () => {
  it('fills target: point by default', () => {
    expect(attributesProcessor.schema.parse({ actions: [{ action: 'hash', key: 'user' }] })).toEqual({ actions: [{ action: 'hash', key: 'user', target: 'point' }] });
  });

  it('needs at least one action', () => {
    expect(paths({})).toEqual(['actions']);
    expect(paths({ actions: [] })).toEqual(['actions']);
  });

  it('reports every problem at once, each at its path', () => {
    expect(
      paths({
        actions: [
          { action: 'insert', key: 'a' },
          { action: 'upsert', key: 'a', value: 1, from_attribute: 'b' },
          { action: 'rename', key: 'a' },
          { action: 'rename', key: 'a', from_attribute: 'a' },
          { action: 'delete', key: 'a', value: 1 },
          { action: 'hash', key: 'a', target: 'span' },
          { action: 'convert', key: 'a' },
          { action: 'update', key: '', value: 1 },
          { action: 'hash', key: 'a', from_attribute: 'b' },
        ],
      }),
    ).toEqual([
      'actions.0.value',
      'actions.1.value',
      'actions.2.from_attribute',
      'actions.3.from_attribute',
      'actions.4.value',
      'actions.5.target',
      'actions.6.action',
      'actions.7.key',
      'actions.8.from_attribute',
    ]);
  });

  it('is a metrics → metrics processor named attributes', () => {
    expect(attributesProcessor).toMatchObject({ kind: 'processor', type: 'attributes', input: 'metrics', output: 'metrics' });
  });
});
