import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';
import { readBoundedFile } from '../../src/io/bounded-read.js';
import { delayInSteps } from '../../src/component/long-timer.js';

describe('bounded reads and long waits in the public API', () => {
  it('are exported for plugins (a registry file, a silence that ends in a month)', () => {
    expect(api.readBoundedFile).toBe(readBoundedFile);
    expect(api.delayInSteps).toBe(delayInSteps);
  });
});
