import { z } from '../../src/index.js';

/** Where an action works: the point's own attributes, or its resource's (the service instance). */
export const TARGETS = ['point', 'resource'] as const;
export type ActionTarget = (typeof TARGETS)[number];

export const ACTIONS = ['insert', 'update', 'upsert', 'delete', 'rename', 'hash'] as const;
export type ActionName = (typeof ACTIONS)[number];

/** The actions that write a value, from `value` or `from_attribute`. */
const WRITES: readonly ActionName[] = ['insert', 'update', 'upsert'];

export const actionSchema = z
  .strictObject({
    action: z
      .enum(ACTIONS)
      .describe(
        '`insert`: write `key` only where it is absent; `update`: only where it is present; `upsert`: always; `delete`: remove `key`; `rename`: move the value of `from_attribute` to `key`, replacing what `key` held; `hash`: replace the value of `key` by the SHA-256 of its text, in lowercase hex.',
      ),
    key: z.string().min(1).describe('The attribute the action writes, deletes, hashes or renames to.'),
    value: z
      .union([z.string(), z.number(), z.boolean()])
      .optional()
      .describe('For insert, update, upsert: the value to write (or give `from_attribute`).'),
    from_attribute: z
      .string()
      .min(1)
      .optional()
      .describe('For insert, update, upsert: take the value of this attribute (of the same target) instead of `value`; nothing is written when it is absent. For rename: the attribute renamed.'),
    target: z
      .enum(TARGETS)
      .default('point')
      .describe("`point`: the point's attributes; `resource`: its resource's attributes (changing identifying ones changes the series' identity)."),
  })
  .superRefine((action, ctx) => {
    const hasValue = action.value !== undefined;
    const hasFrom = action.from_attribute !== undefined;
    if (WRITES.includes(action.action)) {
      if (hasValue === hasFrom) ctx.addIssue({ code: 'custom', message: `${action.action} takes exactly one of value, from_attribute`, path: ['value'] });
      return;
    }
    if (hasValue) ctx.addIssue({ code: 'custom', message: `${action.action} takes no value`, path: ['value'] });
    if (action.action !== 'rename') {
      if (hasFrom) ctx.addIssue({ code: 'custom', message: `${action.action} takes no from_attribute`, path: ['from_attribute'] });
    } else if (!hasFrom) {
      ctx.addIssue({ code: 'custom', message: 'rename needs from_attribute: the attribute to rename', path: ['from_attribute'] });
    } else if (action.from_attribute === action.key) {
      ctx.addIssue({ code: 'custom', message: 'from_attribute and key must differ', path: ['from_attribute'] });
    }
  })
  .describe('One action on an attribute.');

export type AttributeAction = z.output<typeof actionSchema>;

export const attributesConfigSchema = z
  .strictObject({
    actions: z
      .array(actionSchema)
      .min(1)
      .describe('Actions applied in order to every point (`target: point`) or resource (`target: resource`).'),
  })
  .describe("Sets, renames, deletes or hashes attributes of metric points and of their resources.");

export type AttributesConfig = z.output<typeof attributesConfigSchema>;
