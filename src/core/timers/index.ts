/** core/timers: the one chunked timer and the one back-off formula (see each module's header). */
export { exponentialBackoff, nextHourBoundary, probingBackoff, type ExponentialBackoffOptions } from './backoff';
export { MAX_TIMEOUT_MS, setTimeoutAt, type ChunkedTimerOptions } from './chunked';
