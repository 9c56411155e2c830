/**
 * Lets the event loop run everything waiting (HTTP requests, timers) before going on. Long folds
 * over the log (catch-up, replays, chain verification) are chains of already-resolved promises on
 * the embedded store, which never give the loop a turn: they call this between batches so that no
 * single piece of work stalls the process for everyone else.
 */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
