import { defineProcessor } from '../../src/index.js';
import { compileRewrite } from './actions.js';
import { attributesConfigSchema, type AttributeAction } from './config.js';
import { rewriteAttributes } from './rewrite-attributes.js';

function touchesServiceName(action: AttributeAction): boolean {
  if (action.target !== 'resource') return false;
  return action.key === SERVICE_NAME || (action.action === 'rename' && action.from_attribute === SERVICE_NAME);
}

const SERVICE_NAME = 'service.name';

export const attributesProcessor = defineProcessor({
  type: 'attributes',
  description: 'Inserts, updates, upserts, deletes, renames or hashes attributes of metric points and of their resources.',
  schema: attributesConfigSchema,
  input: 'metrics',
  output: 'metrics',
  create: (config, ctx) => {
    // Allowed, but never silent: the service name is in every alert and in every series' identity.
    if (config.actions.some(touchesServiceName)) {
      ctx.logger.warn('an action changes the resource attribute service.name: series and alerts of the service get a new identity');
    }
    return rewriteAttributes({
      point: compileRewrite(config.actions.filter((action) => action.target === 'point')),
      resource: compileRewrite(config.actions.filter((action) => action.target === 'resource')),
    });
  },
});
