import type { ChildProcess } from "node:child_process";

/** A started emulator: where to reach it and how to stop it. */
export interface RunningEmulator {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();
let exitHookInstalled = false;

/** What a watched child did: its last output lines, and why it ended (if it did). */
export interface ChildWatch {
  tail(): string;
  /** undefined while it runs; else "exited with code 1", "could not start: spawn java ENOENT"… */
  ended(): string | undefined;
}

/**
 * Emulators never outlive the process that started them (killed on its `exit`), and a failed
 * spawn (ENOENT) becomes a reason to report instead of an unhandled 'error' event.
 */
export function adoptChild(child: ChildProcess, lines = 20): ChildWatch {
  children.add(child);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once("exit", () => {
      for (const running of children) running.kill("SIGKILL");
    });
  }
  let ending: string | undefined;
  child.once("error", (error) => {
    ending ??= `could not start: ${error.message}`;
    children.delete(child);
  });
  child.once("exit", (code, signal) => {
    ending ??= signal ? `was killed by ${signal}` : `exited with code ${code}`;
    children.delete(child);
  });
  const kept: string[] = [];
  const keep = (chunk: Buffer) => {
    kept.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    kept.splice(0, Math.max(0, kept.length - lines));
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return {
    tail: () => (kept.length ? kept.join("\n") : "(no output)"),
    ended: () => ending,
  };
}

/** SIGTERM, then SIGKILL after a grace period; resolves once the process is gone. */
export function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  // Never started (pid undefined) or already gone: 'exit' would never come.
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
