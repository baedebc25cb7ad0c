/** Ports every context shares: time, ids, pages. */

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  newId(): string;
}

export interface PageQuery {
  limit: number;
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
