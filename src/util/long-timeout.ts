/** The longest delay Node.js timers take (2^31 − 1 ms, about 24.8 days); a longer one fires after 1 ms. */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * `setTimeout` for any delay: one longer than a timer holds is waited out in steps, so it never fires
 * early. Returns the function that cancels it.
 */
export function setLongTimeout(callback: () => void, ms: number): () => void {
  let timer: NodeJS.Timeout;
  const arm = (remaining: number): void => {
    const step = Math.min(remaining, MAX_TIMER_MS);
    timer = setTimeout(() => {
      if (remaining > step) arm(remaining - step);
      else callback();
    }, step);
  };
  arm(ms);
  return () => {
    clearTimeout(timer);
  };
}
