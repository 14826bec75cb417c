import type { FilterOp, TransformOp } from '@/lib/schemas/mapping-spec';

// What the editor shows for each transform and filter operator.

export const transformLabels: Record<TransformOp, string> = {
  trim: 'Trim spaces',
  lower: 'Lowercase',
  upper: 'Uppercase',
  collapse_whitespace: 'Collapse whitespace',
  null_if_empty: 'Empty text → null',
  default: 'Default when null',
  constant: 'Constant value',
  cast: 'Convert type (cast)',
  parse_date: 'Parse date / time',
  phone_e164: 'Phone → E.164',
  email: 'Normalize email',
  concat: 'Join sources (concat)',
  split: 'Split (a part or a list)',
  regex_replace: 'Regex replace',
  value_map: 'Map values',
};

export const transformDescriptions: Record<TransformOp, string> = {
  trim: 'Removes spaces at both ends.',
  lower: 'Converts text to lowercase.',
  upper: 'Converts text to uppercase.',
  collapse_whitespace: 'Turns runs of spaces, tabs and newlines into one space.',
  null_if_empty: 'Empty or blank text becomes null.',
  default: 'Replaces null (not empty text) with a value.',
  constant: 'Ignores the input and always writes this value.',
  cast: 'Converts the value to another type; rows that do not convert fail.',
  parse_date: 'Reads dates written in a known format and time zone.',
  phone_e164: 'Normalizes phone numbers to +CC… (E.164), read in the row’s country or a default one; invalid numbers fail the row unless “on failure” says otherwise.',
  email: 'Trims and lowercases; values that are not email addresses fail the row unless “on failure” says otherwise.',
  concat: 'Joins all sources of the field, skipping nulls and empty values.',
  split: 'Splits the text at a separator and keeps one part (0 = first, -1 = last), or every part as a list for an array column.',
  regex_replace: 'Replaces matches of a regular expression.',
  value_map: 'Translates known values (e.g. legacy codes) into new ones.',
};

export const filterOpLabels: Record<FilterOp, string> = {
  eq: '=',
  neq: '≠',
  lt: '<',
  lte: '≤',
  gt: '>',
  gte: '≥',
  is_null: 'is null',
  not_null: 'is not null',
  like: 'like',
};
