import { z } from 'zod';

// Placeholder until the http check lands (branch hc-http replaces this file whole).
export const httpCheckSchema = z.strictObject({ url: z.string().describe('URL to request.') });
export type HttpCheckConfig = z.output<typeof httpCheckSchema>;
