/**
 * The events of successive pages as one async iterable. Hand-written rather than an async
 * generator: a generator costs a chain of promises per event (about 3× this, measured in
 * bench/read-all.bench.ts), which is most of what a consumer of the whole log pays beyond parsing.
 * `nextPage` is called again only when a page is used up; an empty page ends the iteration, and
 * a throw from it rejects the pending `next()`.
 */
export function eventsOfPages<T>(nextPage: () => T[]): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<T> {
      let page: T[] = [];
      let i = 0;
      let ended = false;
      return {
        next(): Promise<IteratorResult<T>> {
          try {
            if (i === page.length && !ended) {
              page = nextPage();
              i = 0;
              ended = page.length === 0;
            }
            const value = page[i];
            if (value === undefined) return Promise.resolve({ value: undefined, done: true });
            i++;
            return Promise.resolve({ value, done: false });
          } catch (error) {
            ended = true;
            page = [];
            // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes on what nextPage threw, unchanged
            return Promise.reject(error);
          }
        },
      };
    },
  };
}
