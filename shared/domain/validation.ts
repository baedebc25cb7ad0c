import type { z } from "zod";
import { type FieldProblem, InvalidInput } from "./errors";

/** Turns zod issues into field problems whose paths name the field (`settings.secretKey`). */
export function fieldProblems(error: z.ZodError, prefix: string[] = []): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path.map(String)];
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ path: [...path, key].join("."), message: "is not a known field" }));
    }
    return [{ path: path.join(".") || "(body)", message: issue.message }];
  });
}

export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  value: unknown,
  prefix: string[] = [],
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new InvalidInput(fieldProblems(parsed.error, prefix));
  return parsed.data;
}
