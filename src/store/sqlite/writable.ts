import { accessSync, constants, existsSync, mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { StoreError } from "../../errors/store-error.ts";

/**
 * Makes the folder of a SQLite store and checks that this process may write there, before SQLite
 * opens it: SQLite opens a file it may not write read-only without a word, and the scheduler then
 * logged "attempt to write a readonly database" at every write; a folder it cannot write is only
 * "unable to open database file" (WAL mode keeps its -wal and -shm files beside the store).
 */
export function prepareWritableStore(location: string): void {
  const folder = dirname(location);
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw new StoreError(`cannot create the folder of the SQLite store ${location}: ${whyNoFolder(folder, error)}`, { cause: error });
  }
  if (!writable(folder)) {
    throw new StoreError(`cannot open the SQLite store ${location}: its folder ${folder} is not writable by this user (SQLite keeps its -wal and -shm files beside the store)`);
  }
  if (existsSync(location) && statSync(location).isDirectory()) throw new StoreError(`cannot open the SQLite store ${location}: it is a folder, not a file`);
  for (const file of [location, `${location}-wal`, `${location}-shm`]) {
    if (existsSync(file) && !writable(file)) {
      const which = file === location ? "this user may not write it" : `this user may not write its ${file}`;
      throw new StoreError(`the SQLite store ${location} is read-only: ${which} (give it write permission, or run as its owner)`);
    }
  }
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Why `mkdir -p folder` failed, in the user's terms: which part of the path is in the way. */
function whyNoFolder(folder: string, error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  let existing = folder;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  if (code === "EEXIST" || code === "ENOTDIR") return `${existing} is a file, not a folder`;
  if (code === "EACCES" || code === "EPERM") return `the folder ${existing} is not writable by this user`;
  if (code === "EROFS") return `${existing} is on a read-only file system`;
  return error instanceof Error ? error.message : String(error);
}
