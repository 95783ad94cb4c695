/** Stable codes carried by every error Orchestra raises, so callers can branch without parsing messages. */
export const ErrorCode = {
  Timing: "ERR_TIMING",
  Timezone: "ERR_TIMEZONE",
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
