/**
 * The one shape of an aggregate's rules (after Emmett's Decider): `decide` turns a command and the
 * aggregate's state into the facts it calls for, or throws a DomainError; `evolve` folds one fact into
 * the state; `initialState` is the state before the stream's first fact.
 *
 * `context` is what the handler looked up before deciding and cannot be read from the stream itself
 * (the clock reading, the catalogue entries a command names). Aggregates that need nothing leave it
 * `void`, and are called `decide(command, state)`.
 */
export interface Decider<Command, Event, State, Context = void> {
  decide: (command: Command, state: State, context: Context) => Event[];
  evolve: (state: State, event: Event) => State;
  initialState: () => State;
}

/** The state after the given facts: what a handler folds from a stream before it decides. */
export const foldEvents = <Event, State>(decider: Pick<Decider<never, Event, State, never>, 'evolve' | 'initialState'>, events: Iterable<Event>): State => {
  let state = decider.initialState();
  for (const e of events) state = decider.evolve(state, e);
  return state;
};
