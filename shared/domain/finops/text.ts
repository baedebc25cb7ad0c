/**
 * A copy of a string that shares no memory with the text it was cut from. Parsers hand out
 * slices of their read chunks (V8 keeps a slice of 13+ characters as a view on its parent); a
 * slice kept in a long-lived map would pin its whole chunk, so memory would grow with the file
 * instead of with the number of distinct keys. Shorter strings are copied by V8 already.
 */
export function detach(text: string): string {
  return text.length < 13 ? text : (JSON.parse(JSON.stringify(text)) as string);
}
