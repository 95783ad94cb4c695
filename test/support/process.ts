import { spawn, type ChildProcess } from "node:child_process";
import { BIN } from "./cli.ts";

export interface RunningProcess {
  readonly child: ChildProcess;
  /** Everything printed so far, stdout and stderr interleaved. */
  output(): string;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  readonly exited: Promise<number | NodeJS.Signals>;
}

/** Starts the real `orchestra` command as a long-running child process (scheduler, worker); `env` adds to this process's. */
export function startOrchestra(args: readonly string[], cwd?: string, env: NodeJS.ProcessEnv = {}): RunningProcess {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1", ...env } });
  let output = "";
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const exited = new Promise<number | NodeJS.Signals>((resolve) => {
    child.on("exit", (code, signal) => {
      resolve(signal ?? code ?? -1);
    });
  });
  return { child, output: () => output, exited };
}

/** Puts `process` in a test's cleanups (killed with SIGKILL if still running, and waited for); returns it. */
export function killOnCleanup(cleanups: (() => unknown)[], process: RunningProcess): RunningProcess {
  cleanups.push(async () => {
    if (process.child.exitCode === null && process.child.signalCode === null) {
      process.child.kill("SIGKILL");
      await process.exited;
    }
  });
  return process;
}
