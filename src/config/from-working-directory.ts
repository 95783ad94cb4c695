import { parseLocation } from "./locations.ts";

/**
 * A broker or backend the user gave (an option or ORCHESTRA_BROKER/ORCHESTRA_BACKEND), with a relative
 * SQLite path made absolute from the working directory, as a shell user reads it. `Orchestra` resolves
 * relative paths beside the schedule file, where its default `orchestra.db` lives; without this,
 * `run sub/s.yaml --broker q.db` used sub/q.db while `worker --broker q.db` used ./q.db, and the
 * worker never saw a dispatch. URLs and `:memory:` come back unchanged; a malformed value throws the
 * configuration error it would throw later.
 *
 * @example
 * fromWorkingDirectory("sqlite:///q.db", "broker", "/home/me"); // "/home/me/q.db"
 */
export function fromWorkingDirectory(value: string, role: "broker" | "backend", cwd: string): string {
  const location = role === "broker" ? parseLocation(value, cwd, role) : parseLocation(value, cwd, role);
  return location.kind === "sqlite" && location.path !== ":memory:" ? location.path : value;
}
