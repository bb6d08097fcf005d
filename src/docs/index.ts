export { describeOptions } from './options.js';
export type { OptionDoc } from './options.js';
export { renderOptionsTable, updateReadme, OPTIONS_START, OPTIONS_END } from './markdown.js';
export { renderComponentsText, renderServiceText } from './text.js';
export { renderValue } from './values.js';
