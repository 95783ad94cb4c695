import { StoreError } from "./store-error.ts";

/**
 * The connection to the store was lost while a transaction was committing: it may or may not have been
 * applied, so it is not run again blindly. Callers whose writes are idempotent (the scheduler's dispatch,
 * keyed by occurrence) simply try again; the others read back what is there.
 */
export class CommitUnknownError extends StoreError {}
