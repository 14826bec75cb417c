import { isSupportedCountry } from 'libphonenumber-js';
import { z } from 'zod';
import { describeDateFormatProblem, MAX_DATE_FORMAT_LENGTH } from '../mapping/date-format';
import { isValidTimeZone } from '../mapping/zoned-time';

/**
 * The transforms of a mapping field, as data: a union on `op`. Part of the mapping spec
 * (mapping-spec.ts re-exports everything here). Regex patterns are checked here as
 * JavaScript syntax (new RegExp compiles them, never runs them) and run in the linear-time
 * engine (mapping/linear-regex.ts); patterns that engine cannot run are refused when a spec
 * is saved, checked or previewed (mapping/regex-issues.ts), not here, so that versions saved
 * before it still load. Nothing is evaluated as code.
 */

export const MAX_REGEX_PATTERN_LENGTH = 500;

export const requiredText = (what: string) =>
  z.string({ error: (issue) => (issue.input === undefined ? 'is required' : `must be ${what}`) });

export const scalarValueSchema = z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()], {
  error: 'must be text, a number, true/false or null',
});
export type ScalarValue = z.infer<typeof scalarValueSchema>;

const noParams = <Op extends string>(op: Op) => z.object({ op: z.literal(op) });

export const failurePolicies = ['reject', 'null', 'keep'] as const;
export type FailurePolicy = (typeof failurePolicies)[number];

/**
 * What a transform that cannot convert a value does: reject the row (an error row, the
 * default when absent), write null, or keep the value it was given. Only on transforms that
 * can fail on a value (cast, parse_date, phone_e164, email); value_map has `otherwise`.
 */
const onFailure = {
  onFailure: z.enum(failurePolicies, { error: `must be one of ${failurePolicies.join(', ')}` }).optional(),
};

const castTargets = ['integer', 'decimal', 'boolean', 'text'] as const;
const dateOutputs = ['date', 'timestamp', 'timestamptz'] as const;

const castTransform = z
  .object({
    op: z.literal('cast'),
    to: z.enum(castTargets, { error: `must be one of ${castTargets.join(', ')}` }),
    /** Digits after the point for decimals; values are rounded half-up. */
    scale: z.number().int('must be a whole number').min(0, 'must be 0–30').max(30, 'must be 0–30').optional(),
    ...onFailure,
  })
  .superRefine((cast, ctx) => {
    if (cast.scale !== undefined && cast.to !== 'decimal') {
      ctx.addIssue({ code: 'custom', path: ['scale'], message: 'only applies when casting to decimal' });
    }
  });

const dateFormatText = z.string({ error: 'must be a date format such as DD/MM/YYYY' }).max(MAX_DATE_FORMAT_LENGTH);

const parseDateTransform = z
  .object({
    op: z.literal('parse_date'),
    /** One pattern, e.g. 'DD/MM/YYYY HH:mm'. */
    format: dateFormatText.optional(),
    /** Several patterns tried in order; the first that matches wins. */
    formats: z.array(dateFormatText).min(1, 'give at least one format').max(20, 'at most 20 formats').optional(),
    /** Zone of wall-clock times in the source, and of dates/timestamps written out. */
    timeZone: requiredText('a time zone such as UTC or Europe/Berlin').trim().min(1, 'is required'),
    output: z.enum(dateOutputs, { error: `must be one of ${dateOutputs.join(', ')}` }),
    ...onFailure,
  })
  .superRefine((transform, ctx) => {
    if (transform.format === undefined && transform.formats === undefined) {
      ctx.addIssue({ code: 'custom', path: ['format'], message: 'is required (e.g. DD/MM/YYYY), or give a list in formats' });
    }
    if (transform.format !== undefined && transform.formats !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['formats'], message: 'give either format or formats, not both' });
    }
    if (transform.format !== undefined) {
      const problem = describeDateFormatProblem(transform.format);
      if (problem !== null) ctx.addIssue({ code: 'custom', path: ['format'], message: problem });
    }
    transform.formats?.forEach((format, index) => {
      const problem = describeDateFormatProblem(format);
      if (problem !== null) ctx.addIssue({ code: 'custom', path: ['formats', index], message: problem });
    });
    if (transform.timeZone !== '' && !isValidTimeZone(transform.timeZone)) {
      ctx.addIssue({
        code: 'custom',
        path: ['timeZone'],
        message: `unknown time zone "${transform.timeZone}"; use an IANA name such as UTC or Europe/Berlin`,
      });
    }
  });

const phoneTransform = z
  .object({
    op: z.literal('phone_e164'),
    /**
     * ISO 3166 alpha-2 country assumed for numbers written without +country code, when the
     * row names none (see countryColumn). Required without a countryColumn.
     */
    defaultCountry: requiredText('a two-letter country code').trim().toUpperCase().optional(),
    /** A source column holding each row's country (ISO alpha-2, e.g. DE): numbers are read as that country's. */
    countryColumn: requiredText('a column name').trim().min(1, 'is required').max(128, 'must be at most 128 characters').optional(),
    ...onFailure,
  })
  .superRefine((transform, ctx) => {
    if (transform.defaultCountry === undefined) {
      if (transform.countryColumn === undefined) {
        ctx.addIssue({ code: 'custom', path: ['defaultCountry'], message: 'is required (e.g. US), or name a source column holding the country' });
      }
    } else if (!/^[A-Z]{2}$/.test(transform.defaultCountry) || !isSupportedCountry(transform.defaultCountry)) {
      ctx.addIssue({
        code: 'custom',
        path: ['defaultCountry'],
        message: `"${transform.defaultCountry}" is not a supported two-letter country code (e.g. US, DE, GB)`,
      });
    }
  });

const regexReplaceTransform = z
  .object({
    op: z.literal('regex_replace'),
    pattern: requiredText('a regular expression')
      .min(1, 'is required')
      .max(MAX_REGEX_PATTERN_LENGTH, `must be at most ${MAX_REGEX_PATTERN_LENGTH} characters`),
    flags: z
      .string()
      .regex(/^[gimsuy]*$/, 'may only contain the flags g, i, m, s, u, y')
      .refine((flags) => new Set(flags).size === flags.length, 'repeats a flag')
      .default(''),
    /**
     * Uses $1, $<name> for groups; '$$' for a literal dollar. A result more than 8 times
     * (or 64 KiB) longer than the value fails the row (transforms/regex-replace.ts).
     */
    replacement: z.string({ error: 'must be text' }).max(10_000).default(''),
  })
  .superRefine((transform, ctx) => {
    const flagsValid = /^[gimsuy]*$/.test(transform.flags) && new Set(transform.flags).size === transform.flags.length;
    if (!flagsValid) return; // reported on flags already
    try {
      new RegExp(transform.pattern, transform.flags);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      ctx.addIssue({ code: 'custom', path: ['pattern'], message: `is not a valid regular expression: ${reason}` });
    }
  });

const otherwiseSchema = z.discriminatedUnion(
  'mode',
  [
    z.object({ mode: z.literal('error') }),
    z.object({ mode: z.literal('default'), value: scalarValueSchema }),
    z.object({ mode: z.literal('keep') }),
  ],
  { error: 'mode must be one of error, default, keep' },
);

const valueMapTransform = z
  .object({
    op: z.literal('value_map'),
    map: z
      .record(z.string().max(1000), scalarValueSchema, { error: 'must be an object of source value → target value' })
      .refine((map) => Object.keys(map).length <= 10_000, 'at most 10000 entries'),
    caseInsensitive: z.boolean().default(false),
    /** Trim the incoming value before looking it up. */
    trim: z.boolean().default(false),
    otherwise: otherwiseSchema.default({ mode: 'error' }),
  })
  .superRefine((transform, ctx) => {
    if (!transform.caseInsensitive && !transform.trim) return;
    // Keys that collapse to the same lookup key must agree, or the outcome would
    // depend on key order.
    const seen = new Map<string, string>();
    for (const [key, value] of Object.entries(transform.map)) {
      let lookup = transform.trim ? key.trim() : key;
      if (transform.caseInsensitive) lookup = lookup.toLowerCase();
      const earlier = seen.get(lookup);
      if (earlier !== undefined && transform.map[earlier] !== value) {
        ctx.addIssue({
          code: 'custom',
          path: ['map', key],
          message: `conflicts with "${earlier}" when ${transform.caseInsensitive ? 'case is ignored' : 'trimmed'}`,
        });
      } else if (earlier === undefined) {
        seen.set(lookup, key);
      }
    }
  });

export const transformOps = [
  'trim',
  'lower',
  'upper',
  'collapse_whitespace',
  'null_if_empty',
  'default',
  'constant',
  'cast',
  'parse_date',
  'phone_e164',
  'email',
  'concat',
  'split',
  'regex_replace',
  'value_map',
] as const;
export type TransformOp = (typeof transformOps)[number];

export const transformSchema = z.discriminatedUnion(
  'op',
  [
    noParams('trim'),
    noParams('lower'),
    noParams('upper'),
    noParams('collapse_whitespace'),
    noParams('null_if_empty'),
    /** Replaces null (only null, not '') with the value. */
    z.object({ op: z.literal('default'), value: scalarValueSchema }),
    /** Ignores the input. */
    z.object({ op: z.literal('constant'), value: scalarValueSchema }),
    castTransform,
    parseDateTransform,
    phoneTransform,
    z.object({ op: z.literal('email'), ...onFailure }),
    /** Joins all sources of the field, skipping null and empty values. */
    z.object({ op: z.literal('concat'), separator: z.string().max(100).default(' ') }),
    z.object({
      op: z.literal('split'),
      separator: requiredText('text').min(1, 'is required').max(100),
      /**
       * The part to keep, 0-based; negative counts from the end (-1 = last part). Without
       * one the field is the list of parts (for an array column: a SET, tags "a;b;c").
       */
      index: z.number({ error: 'must be a whole number' }).int('must be a whole number').optional(),
      /** Blanks around each part are removed. */
      trim: z.boolean({ error: 'must be true or false' }).optional(),
      /** Empty parts (after trimming) are left out: "a,,b" → a, b. */
      dropEmpty: z.boolean({ error: 'must be true or false' }).optional(),
    }),
    regexReplaceTransform,
    valueMapTransform,
  ],
  { error: `op must be one of ${transformOps.join(', ')}` },
);
export type Transform = z.infer<typeof transformSchema>;
export type TransformOf<Op extends TransformOp> = Extract<Transform, { op: Op }>;
