import { describe, expect, it } from 'vitest';
import { problemsOf, yaml } from './helpers.js';

describe('YAML syntax errors', () => {
  it('are problems with their line and column, and stop further checks', () => {
    expect(
      problemsOf(
        yaml(
          'receivers:', //
          '  poller:',
          '    colection_interval: 15s',
          '   targets: []',
        ),
      ),
    ).toEqual(['pipeline.yaml:4:1: YAML syntax error: All mapping items must start at the same column']);
  });

  it('name the file they are in when several are given', () => {
    expect(
      problemsOf([
        ['base.yaml', yaml('receivers:', '  poller:')],
        ['overlay.yaml', yaml('service:', '  pipelines:', '    metrics:', '      receivers: [poller')],
      ]),
    ).toEqual([
      'overlay.yaml:5:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('report every file that does not parse', () => {
    expect(
      problemsOf([
        ['a.yaml', yaml('receivers:', '\tpoller: {}')],
        ['b.yaml', yaml("token: 'unclosed")],
      ]),
    ).toEqual([
      'a.yaml:2:1: YAML syntax error: Tabs are not allowed as indentation',
      "b.yaml:2:1: YAML syntax error: Missing closing 'quote",
    ]);
  });

  it('never quote the source line, which could hold a secret', () => {
    const problems = problemsOf(yaml('exporters:', '  shipper: { api_key: sk-live-0123456789: broken }'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^pipeline\.yaml:2:\d+: YAML syntax error: /);
    expect(problems.join('\n')).not.toContain('sk-live');
  });

  it('reject a file with several YAML documents', () => {
    expect(problemsOf(yaml('receivers: {}', '---', 'exporters: {}'))).toEqual([
      'pipeline.yaml:2:1: YAML syntax error: a configuration file holds one YAML document, this one has several (---)',
    ]);
  });

  it('report an alias to an anchor that does not exist', () => {
    expect(problemsOf(yaml('receivers:', '  poller: *defaults'))).toEqual([
      'pipeline.yaml:2:11: YAML alias *defaults cannot be resolved',
    ]);
  });
});
