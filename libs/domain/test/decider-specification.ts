import { DomainError, type Decider } from '../src';

/**
 * given(events).when(command).then(events) / .thenThrows(code): the one shape of every
 * domain test, after Emmett's DeciderSpecification. `context` is what the handler would have
 * looked up (none for deciders that need nothing).
 */
export function deciderSpecification<C, E, S, X>(decider: Decider<C, E, S, X>) {
  return (context: X) => ({
    given: (events: E[]) => ({
      when: (command: C) => {
        const run = () => decider.decide(command, events.reduce(decider.evolve, decider.initialState()), context);
        return {
          then: (expected: E[]) => expect(run()).toEqual(expected),
          thenThrows: (code: string, field?: string) => {
            let thrown: unknown;
            try {
              run();
            } catch (e) {
              thrown = e;
            }
            expect(thrown).toBeInstanceOf(DomainError);
            expect((thrown as DomainError).code).toBe(code);
            if (field) expect((thrown as DomainError).field).toBe(field);
          },
        };
      },
    }),
  });
}
