import { describe, expect, it } from 'vitest';
import { fileUpdate } from '../../../receivers/registry/file/file-entries.js';

describe('a registry file read as entries', () => {
  it('reads the list form: each item with its id and its line and column', () => {
    const text = ['- id: api-1', '  service: api', '  port: 8080', '- service: nameless', '- id: 7', '  service: numbered'].join('\n');
    expect(fileUpdate('services.yaml', text, 5)).toEqual({
      kind: 'set',
      entries: [
        { id: 'api-1', value: { id: 'api-1', service: 'api', port: 8080 }, seenAt: 5, where: 'services.yaml:1:3' },
        { id: '', value: { service: 'nameless' }, seenAt: 5, where: 'services.yaml:4:3' },
        { id: '7', value: { id: 7, service: 'numbered' }, seenAt: 5, where: 'services.yaml:5:3' },
      ],
    });
  });

  it('reads the map form, and JSON as the YAML it is', () => {
    const text = '{\n  "api-1": { "service": "api", "labels": { "team": "x" } },\n  "db": { "service": "db" }\n}\n';
    expect(fileUpdate('services.json', text, 0)).toEqual({
      kind: 'set',
      entries: [
        { id: 'api-1', value: { service: 'api', labels: { team: 'x' } }, seenAt: 0, where: 'services.json:2:3' },
        { id: 'db', value: { service: 'db' }, seenAt: 0, where: 'services.json:3:3' },
      ],
    });
  });

  it('reads [] as a registry without instances', () => {
    expect(fileUpdate('s.yaml', '[]\n', 0)).toEqual({ kind: 'set', entries: [] });
  });

  it('is down on a syntax error, with file:line:col and the parser reason', () => {
    const update = fileUpdate('services.yaml', '- id: a\n  service: [api\n', 0);
    expect(update.kind).toBe('down');
    expect(update.kind === 'down' && update.reason).toMatch(/^services\.yaml:\d+:\d+: YAML syntax error: /);
    const json = fileUpdate('services.json', '{ "a": { "service": "api" }\n', 0);
    expect(json.kind === 'down' && json.reason).toMatch(/^services\.json:\d+:\d+: YAML syntax error: /);
  });

  it('is down on an empty file and on a scalar', () => {
    expect(fileUpdate('s.yaml', '  \n', 0)).toEqual({ kind: 'down', reason: 's.yaml: is empty (a registry without instances is written [])' });
    expect(fileUpdate('s.yaml', 'hello\n', 0)).toEqual({ kind: 'down', reason: 's.yaml:1:1: expected a list of instances or a map of id → instance' });
  });
});
