// The seed's example tasks. Any exported function of a module is a task; its return value is stored
// with the run as JSON. This file is TypeScript and loads without a build step.

function fibo(n: number): number {
  return n <= 1 ? n : fibo(n - 1) + fibo(n - 2);
}

/** A fast task: fibo(10) = 55. */
export function short_task(): number {
  return fibo(10);
}

/** A CPU-heavy task: fibo(33) = 3524578, about a tenth of a second. */
export function long_task(): number {
  return fibo(33);
}

/** A task that always fails: the failure and its stack are recorded; the job keeps its schedule. */
export function exception_task(): never {
  throw new Error("exception_task always fails (on purpose)");
}
