import { describe, expect, it } from 'vitest';
import { etcdSourceSchema } from '../../../../receivers/registry/etcd/index.js';

describe('etcd source config', () => {
  it('needs only the endpoints; the prefix and the timings have defaults', () => {
    expect(etcdSourceSchema.parse({ endpoints: ['http://127.0.0.1:2379'] })).toEqual({
      endpoints: ['http://127.0.0.1:2379'],
      prefix: '/services/',
      dial_timeout: 5_000,
      max_retry_delay: 5_000,
    });
  });

  it('refuses no endpoint, an endpoint that is not http(s), and credentials in a URL', () => {
    expect(etcdSourceSchema.safeParse({ endpoints: [] }).success).toBe(false);
    expect(etcdSourceSchema.safeParse({ endpoints: ['127.0.0.1:2379'] }).success).toBe(false);
    const inUrl = etcdSourceSchema.safeParse({ endpoints: ['http://root:pw@127.0.0.1:2379'] });
    expect(inUrl.error?.issues.map((issue) => issue.message)).toEqual(['credentials go in username and password, not in the URL']);
  });

  it('takes username and password together only', () => {
    const alone = etcdSourceSchema.safeParse({ endpoints: ['http://127.0.0.1:2379'], username: 'root' });
    expect(alone.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([['password', 'username and password go together']]);
    expect(etcdSourceSchema.safeParse({ endpoints: ['http://127.0.0.1:2379'], username: 'root', password: 'x' }).success).toBe(true);
  });

  it('refuses unknown keys', () => {
    expect(etcdSourceSchema.safeParse({ endpoints: ['http://127.0.0.1:2379'], prefx: '/s/' }).success).toBe(false);
  });
});
