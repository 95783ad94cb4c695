/**
 * Where a job was declared, as stored with it: `file:<absolute path>` for a schedule file, `api` or
 * `code`. One spelling, read and written only here.
 */
const FILE = "file:";

/** The source of the jobs a schedule file declares. */
export function fileSource(path: string): string {
  return `${FILE}${path}`;
}

/** The schedule file a source names, or null for `api` and `code`. */
export function fileOf(source: string): string | null {
  return source.startsWith(FILE) ? source.slice(FILE.length) : null;
}
