/** A clock the test moves by hand: no test waits for a real deadline. */
export class FakeClock {
  constructor(private at: number) {}
  now(): Date {
    return new Date(this.at);
  }
  set(at: number): void {
    this.at = at;
  }
}
