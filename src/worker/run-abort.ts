/**
 * A run's abort signal, made when first asked for. Most tasks never look at theirs, and making an
 * AbortController's signal for every run cost about 3 µs of a worker's thread: as much as a trivial
 * task's own work. An abort before the signal exists is kept: the signal is then made aborted.
 */
export class RunAbort {
  #controller: AbortController | undefined;
  #reason: unknown = undefined;
  #aborted = false;

  get aborted(): boolean {
    return this.#aborted;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }
}
