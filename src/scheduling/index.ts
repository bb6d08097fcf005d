export { scheduleTargets } from './schedule-targets.js';
export { phaseOf } from './phase.js';
export type { CheckContext, ScheduledTarget, TargetScheduleOptions } from './types.js';
