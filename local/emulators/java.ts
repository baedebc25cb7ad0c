import { spawnSync } from "node:child_process";
import { EmulatorError } from "./errors";

const MINIMUM_JAVA = 17;

/** DynamoDB Local needs Java 17+: say so in one line rather than failing deep in a spawn. */
export function checkJava(): void {
  const result = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (result.error || result.status !== 0) {
    throw new EmulatorError(
      "Java 17+ is needed for DynamoDB Local and was not found on PATH: install a JRE (apt-get install openjdk-17-jre-headless)",
    );
  }
  const version = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  // "17.0.15" -> 17; the old scheme "1.8.0_292" -> 8.
  const major = version ? Number(version[1] === "1" ? version[2] : version[1]) : Number.NaN;
  if (Number.isFinite(major) && major < MINIMUM_JAVA) {
    throw new EmulatorError(
      `Java ${MINIMUM_JAVA}+ is needed for DynamoDB Local; the java on PATH is Java ${major}: install openjdk-17-jre-headless or put a newer java first on PATH`,
    );
  }
}
