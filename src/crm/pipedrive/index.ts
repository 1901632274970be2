/** The Pipedrive connector (issue #10): the port's source, its webhook checks and the pure mapping. */
export { createPipedriveSource, type TPipedriveSource, type TPipedriveSourceOptions } from './create-pipedrive-source.js';
export { parsePipedriveWebhook, verifyPipedriveWebhook, type TPipedriveWebhookEvent } from './pipedrive-webhook.js';
export { retryAfterSeconds } from './pipedrive-calls.js';
