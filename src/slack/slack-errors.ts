/**
 * The errors of Slack calls, shared by the gateway and its direct Web API transport
 * (web-api-post.ts). Every one carries Slack's error code in `slackError`, so `slackErrorCode`
 * reads them all alike. None of them ever carries the token.
 */
export class SlackApiError extends Error {
  constructor(readonly slackError: string, message?: string) {
    super(message ?? `Slack API error: ${slackError}`);
    this.name = 'SlackApiError';
  }
}

/** Thrown when Slack did not answer within the deadline (the call may still land later). */
export class SlackTimeoutError extends SlackApiError {
  constructor(readonly method: string, readonly timeoutMs: number) {
    super('timeout', `Slack did not answer ${method} within ${timeoutMs} ms`);
    this.name = 'SlackTimeoutError';
  }
}

/** HTTP 429: Slack asked to wait `retryAfterMs` before calling again. */
export class SlackRateLimitedError extends SlackApiError {
  constructor(readonly method: string, readonly retryAfterMs: number) {
    super('ratelimited', `Slack rate-limited ${method} (Retry-After ${Math.round(retryAfterMs / 1000)} s)`);
    this.name = 'SlackRateLimitedError';
  }
}

/** An HTTP status without a Slack answer in the body (5xx, a proxy's 4xx): code `http_<status>`. */
export class SlackHttpError extends SlackApiError {
  constructor(readonly method: string, readonly statusCode: number) {
    super(`http_${statusCode}`, `Slack answered ${method} with HTTP ${statusCode}`);
    this.name = 'SlackHttpError';
  }
}

/** The request did not get an answer (connection refused or reset, DNS, an unreadable body). */
export class SlackRequestError extends SlackApiError {
  constructor(readonly method: string, readonly reason: string) {
    super(`request_error: ${reason}`, `Slack request ${method} failed: ${reason}`);
    this.name = 'SlackRequestError';
  }
}
