import { DomainError } from '../src';

/**
 * given(events).when(command).then(events) / .thenThrows(code): the one shape of every
 * domain test, after Emmett's DeciderSpecification.
 */
export function deciderSpecification<C, E, S, X>(decider: {
  decide: (command: C, state: S, context: X) => E[];
  evolve: (state: S, event: E) => S;
  initialState: () => S;
}) {
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
