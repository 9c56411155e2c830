/** The API's clock in e2e tests: the test moves it, so deadlines pass without waiting. */
export class MovableClock {
  constructor(public at: number) {}
  now(): Date {
    return new Date(this.at);
  }
}
