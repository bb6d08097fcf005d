import { duration, secret, z } from '../../../src/index.js';

export const DEFAULT_ETCD_PREFIX = '/services/';

/** Zod runs this even on a text its URL check refused: such a text has no credentials to find. */
function hasNoCredentials(text: string): boolean {
  if (!URL.canParse(text)) return true;
  const url = new URL(text);
  return url.username === '' && url.password === '';
}

function endpoint() {
  return z
    .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL such as http://127.0.0.1:2379' })
    .refine(hasNoCredentials, 'credentials go in username and password, not in the URL')
    .describe('A client URL of a member of the cluster (its --advertise-client-urls)');
}

export const etcdSourceSchema = z
  .strictObject({
    endpoints: z
      .array(endpoint())
      .min(1)
      .describe('Client URLs of the etcd cluster; the client spreads its calls over them and moves on from one that fails'),
    prefix: z
      .string()
      .min(1)
      .default(DEFAULT_ETCD_PREFIX)
      .describe('The keys under this prefix are the instances: the rest of the key is the instance id, the value its JSON'),
    username: z.string().min(1).optional().describe('etcd user, when the cluster has authentication on (with password)'),
    password: secret(z.string().min(1)).optional().describe('Password of username; never shown'),
    dial_timeout: duration({ min: '10ms', max: '1h', maxReason: 'a registry that takes an hour to answer is down' })
      .prefault('5s')
      .describe('Connecting and reading the whole prefix must finish within this; otherwise etcd counts as down for this attempt'),
    max_retry_delay: duration({ min: '10ms', max: '10m', maxReason: 'a registry back up is followed again within minutes' })
      .prefault('5s')
      .describe('While etcd is unreachable the source tries again after 100ms, waiting longer each time up to this; an endpoint that failed 3 times in a row is skipped this long'),
  })
  .refine((config) => (config.username === undefined) === (config.password === undefined), {
    message: 'username and password go together',
    path: ['password'],
  })
  .describe('etcd v3 keys under a prefix, a JSON instance per key, read once then watched (revision resume, leases)');

export type EtcdSourceConfig = z.output<typeof etcdSourceSchema>;
