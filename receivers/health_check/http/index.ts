export { httpCheckSchema, httpCheckSecrets, type HttpCheckConfig } from './config.js';
export { createHttpCheck, type HttpCheckEnvironment } from './http-check.js';
