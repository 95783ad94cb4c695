/**
 * How PostgreSQL and the `pg` driver fail, sorted once for the store: what may pass if the transaction
 * is simply run again, and what says the connection itself was lost.
 */

/** Node's socket errors: the server is restarting, or the network hiccupped. */
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);

/**
 * SQLSTATEs of a server going away or not taking connections yet: admin_shutdown (57P01, a restart or
 * pg_terminate_backend), crash_shutdown, cannot_connect_now (starting up), too_many_connections.
 * Class 08 (connection exception) is matched as a whole.
 */
const SERVER_GONE = new Set(["57P01", "57P02", "57P03", "53300"]);

/** serialization_failure and deadlock_detected: the server rolled the transaction back; run it again. */
const ROLLED_BACK = new Set(["40001", "40P01"]);

/** The driver reports a dropped connection with these messages and no code. */
const DRIVER_CONNECTION_LOST = /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect)/;

/** The connection is gone (or could not be made): whatever was in flight may not have reached the server. */
export function isConnectionLoss(error: unknown): boolean {
  return someCause(error, (code, message) => {
    if (code !== undefined && (SOCKET_CODES.has(code) || SERVER_GONE.has(code) || code.startsWith("08"))) return true;
    return code === undefined && DRIVER_CONNECTION_LOST.test(message);
  });
}

/** The server refused the transaction in a way that undid it entirely (serialization failure, deadlock). */
export function isRolledBackConflict(error: unknown): boolean {
  return someCause(error, (code) => code !== undefined && ROLLED_BACK.has(code));
}

/** A failure that may pass if the transaction, which did not commit, is run again. Unique violations never do. */
export function isTransient(error: unknown): boolean {
  return isConnectionLoss(error) || isRolledBackConflict(error);
}

/** Looks at an error and its causes (Kysely and our own errors wrap the driver's). */
function someCause(error: unknown, test: (code: string | undefined, message: string) => boolean): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (test(typeof code === "string" ? code : undefined, current.message)) return true;
    current = current.cause;
  }
  return false;
}
