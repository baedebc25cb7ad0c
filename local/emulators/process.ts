import type { ChildProcess } from "node:child_process";

const children = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Emulators never outlive the process that started them. */
export function adoptChild(child: ChildProcess): void {
  children.add(child);
  child.once("exit", () => children.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once("exit", () => {
      for (const running of children) running.kill("SIGKILL");
    });
  }
}

/** SIGTERM, then SIGKILL after a grace period; resolves once the process is gone. */
export function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Keeps the last lines a child wrote, to explain a failed start. */
export function tailOf(child: ChildProcess, lines = 20): () => string {
  const kept: string[] = [];
  const keep = (chunk: Buffer) => {
    kept.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    kept.splice(0, Math.max(0, kept.length - lines));
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return () => kept.join("\n");
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
