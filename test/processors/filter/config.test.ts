import { describe, expect, it } from 'vitest';
import { filterProcessor } from '../../../processors/filter/index.js';

function problems(config: unknown): string[] {
  const result = filterProcessor.schema.safeParse(config);
  return (result.error?.issues ?? []).map((issue) => `${issue.path.join('.') || issue.code}: ${issue.message}`).sort();
}

describe('filter processor: config', () => {
  it('keeps everything by default and fills match_type', () => {
    expect(filterProcessor.schema.parse({})).toEqual({});
    expect(filterProcessor.schema.parse({ include: { metric_names: ['a'] } })).toEqual({ include: { match_type: 'strict', metric_names: ['a'] } });
  });

  it('reports an invalid regular expression at its path, with every other problem', () => {
    const found = problems({
      include: { match_type: 'regexp', metric_names: ['ok.*', '(unclosed'], attributes: [{ key: 'code', value: 5 }] },
      exclude: { match_type: 'regexp', resource_attributes: [{ key: 'service.name', value: '[a-' }] },
      drop: true,
    });
    expect(found.map((line) => line.split(':')[0])).toEqual([
      'exclude.resource_attributes.0.value',
      'include.attributes.0.value',
      'include.metric_names.1',
      'unrecognized_keys',
    ]);
    expect(found.find((line) => line.startsWith('include.metric_names.1'))).toMatch(/regular expression/);
  });

  it('with match_type strict, names and values are plain text or values, never checked as patterns', () => {
    expect(problems({ include: { metric_names: ['(unclosed'], attributes: [{ key: 'code', value: 5 }] } })).toEqual([]);
  });

  it('rejects a block that names nothing to match, and unknown keys in it', () => {
    expect(problems({ include: {} })).toEqual(['include: name at least one of metric_names, attributes, resource_attributes']);
    expect(problems({ exclude: { metric_names: ['a'], names: ['b'] } })).toHaveLength(1);
  });

  it('is a metrics → metrics processor named filter', () => {
    expect(filterProcessor).toMatchObject({ kind: 'processor', type: 'filter', input: 'metrics', output: 'metrics' });
  });
});
