const WHITESPACE_RUN = /\s+/g;

/** Turns runs of spaces, tabs and line breaks into one space and trims the ends. */
export function collapseWhitespace(value: unknown): unknown {
  return typeof value === 'string' ? value.replace(WHITESPACE_RUN, ' ').trim() : value;
}
