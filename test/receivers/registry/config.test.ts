import { describe, expect, it } from 'vitest';
import { registryConfigSchema } from '../../../receivers/registry/config.js';

const messages = (value: unknown) => {
  const result = registryConfigSchema.safeParse(value);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
};

describe('the registry config', () => {
  it('takes a file as a path alone, with its defaults', () => {
    expect(registryConfigSchema.parse({ file: './services.yaml' })).toEqual({
      file: { path: './services.yaml', poll_interval: 5_000, debounce: 100, max_size: 4 * 1024 * 1024 },
      collection_interval: 15_000,
    });
  });

  it('takes a file with options, and an http_sd endpoint with its defaults', () => {
    expect(registryConfigSchema.parse({ file: { path: 's.json', poll_interval: '1s' } }).file).toMatchObject({ path: 's.json', poll_interval: 1_000 });
    expect(registryConfigSchema.parse({ http_sd: { url: 'http://127.0.0.1:9/sd' } }).http_sd).toEqual({
      url: 'http://127.0.0.1:9/sd',
      refresh_interval: 30_000,
      timeout: 10_000,
      headers: {},
      max_size: 16 * 1024 * 1024,
    });
  });

  it('requires exactly one source', () => {
    expect(messages({})).toEqual(['a registry needs one source: file, etcd, http_sd']);
    expect(messages({ file: 'a.yaml', http_sd: { url: 'http://127.0.0.1:9/' } })).toEqual([
      'a registry follows exactly one source, not file and http_sd; use one registry receiver per source (registry/a, registry/b)',
    ]);
  });

  it('refuses unknown keys and an http_sd URL that is not http(s)', () => {
    expect(messages({ file: { path: 'a.yaml', pol_interval: '1s' } }).length).toBeGreaterThan(0);
    expect(messages({ http_sd: { url: 'ftp://127.0.0.1/sd' } })).toContain('expected an http:// or https:// URL');
  });
});
