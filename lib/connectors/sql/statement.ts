/** One SQL statement: its text, with placeholders, and the values bound to them in order. */
export interface Statement {
  text: string;
  values: unknown[];
}
