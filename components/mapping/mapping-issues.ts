import type { TableDetail } from '@/lib/connectors/connector';
import { checkMapping } from '@/lib/mapping/check-mapping';
import {
  duplicatePolicySchema,
  mappingSpecIssues,
  mappingSpecSchema,
  sourceFilterSchema,
  transformSchema,
  writeModes,
  type MappingSpec,
  type TransformOp,
} from '@/lib/schemas/mapping-spec';
import type { MappingDraft } from './mapping-draft';
import { transformLabels } from './operation-labels';

export type IssueOrigin = 'schema' | 'check' | 'server' | 'editor';

export interface EditorIssue {
  /** Spec path, e.g. "fields.3.transforms.0.format" (no "body.spec." prefix). */
  path: string;
  severity: 'error' | 'warning';
  code: string;
  message: string;
  origin: IssueOrigin;
}

export interface MappingValidation {
  /** The validated spec when the schema accepts the draft, else null. */
  spec: MappingSpec | null;
  issues: EditorIssue[];
  errorCount: number;
  warningCount: number;
}

const scalarList = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '') : []);

/**
 * A spec that checkMapping can read even while parts of the draft are incomplete:
 * transforms and filters that fail the schema are left out (the schema issues already
 * name them) so the table checks keep working for everything else. Positions of fields
 * are kept; positions of transforms inside a field may shift, which is fine because
 * checkMapping only reports transform positions for transforms it sees, and those are
 * mapped back below.
 */
function bestEffortSpec(input: Record<string, unknown>): { spec: MappingSpec; transformIndex: Map<string, number>; incompleteFields: Set<number> } {
  const source = input.source as { table: string; key: unknown; filter: unknown[] };
  const target = input.target as { table: string; key: unknown };
  const transformIndex = new Map<string, number>();
  const incompleteFields = new Set<number>();
  const fields = (input.fields as { target: string; sources: unknown; transforms: unknown[] }[]).map((field, fieldIndex) => {
    const transforms: MappingSpec['fields'][number]['transforms'] = [];
    field.transforms.forEach((raw, originalIndex) => {
      const parsed = transformSchema.safeParse(raw);
      if (!parsed.success) {
        incompleteFields.add(fieldIndex);
        return;
      }
      if (parsed.data.op === 'concat' && transforms.some((t) => t.op === 'concat')) return;
      transformIndex.set(`${fieldIndex}.${transforms.length}`, originalIndex);
      transforms.push(parsed.data);
    });
    return { target: field.target, sources: scalarList(field.sources), transforms };
  });
  const filter = source.filter.flatMap((raw) => {
    const parsed = sourceFilterSchema.safeParse(raw);
    return parsed.success ? [parsed.data] : [];
  });
  const policy = duplicatePolicySchema.safeParse(input.duplicatePolicy);
  const writeMode = writeModes.includes(input.writeMode as (typeof writeModes)[number]) ? (input.writeMode as MappingSpec['writeMode']) : 'upsert';
  return {
    spec: {
      source: { table: source.table, key: scalarList(source.key), filter },
      target: { table: target.table, key: scalarList(target.key) },
      writeMode,
      duplicatePolicy: policy.success ? policy.data : { mode: 'error' },
      fields,
    },
    transformIndex,
    incompleteFields,
  };
}

/** Filters are dropped in bestEffortSpec, so their check paths would be off by the dropped ones. */
function remapCheckPath(path: string, transformIndex: Map<string, number>, droppedFilters: boolean): string | null {
  const transform = /^fields\.(\d+)\.transforms\.(\d+)(.*)$/.exec(path);
  if (transform) {
    const original = transformIndex.get(`${transform[1]}.${transform[2]}`);
    return original === undefined ? null : `fields.${transform[1]}.transforms.${original}${transform[3]}`;
  }
  if (droppedFilters && path.startsWith('source.filter.')) return 'source.filter';
  return path;
}

/** Issues the schema cannot see because the draft merges them away (duplicate map keys…). */
function editorIssues(draft: MappingDraft): EditorIssue[] {
  const issues: EditorIssue[] = [];
  draft.fields.forEach((field, fieldIndex) => {
    field.transforms.forEach((transform, transformIndex) => {
      if (transform.op !== 'value_map') return;
      const seen = new Set<string>();
      for (const row of transform.rows) {
        if (row.from === '' && row.to.text === '' && row.to.kind !== 'null') continue;
        if (seen.has(row.from)) {
          issues.push({
            path: `fields.${fieldIndex}.transforms.${transformIndex}.map`,
            severity: 'error',
            code: 'duplicate_map_key',
            message: `"${row.from}" is listed twice`,
            origin: 'editor',
          });
        }
        seen.add(row.from);
      }
    });
    field.sources.forEach((source, index) => {
      if (field.sources.indexOf(source) !== index) {
        issues.push({ path: `fields.${fieldIndex}.sources.${index}`, severity: 'warning', code: 'duplicate_source', message: `"${source}" is listed twice`, origin: 'editor' });
      }
    });
  });
  return issues;
}

/** A column a transform reads from the row (phone's country) must exist in the source: the run reads it. */
function unknownColumnsReadByTransforms(draft: MappingDraft, sourceTable: TableDetail): EditorIssue[] {
  const issues: EditorIssue[] = [];
  draft.fields.forEach((field, fieldIndex) => {
    field.transforms.forEach((transform, transformIndex) => {
      if (transform.op !== 'phone_e164' || transform.countryColumn === '') return;
      if (sourceTable.columns.some((column) => column.name === transform.countryColumn)) return;
      issues.push({
        path: `fields.${fieldIndex}.transforms.${transformIndex}.countryColumn`,
        severity: 'error',
        code: 'unknown_source_column',
        message: `the source has no column "${transform.countryColumn}"`,
        origin: 'editor',
      });
    });
  });
  return issues;
}

export function validateDraft(
  draft: MappingDraft,
  specInput: Record<string, unknown>,
  sourceTable: TableDetail | undefined,
  targetTable: TableDetail | undefined,
): MappingValidation {
  const issues: EditorIssue[] = [];
  const parsed = mappingSpecSchema.safeParse(specInput);
  if (!parsed.success) {
    for (const issue of mappingSpecIssues(parsed.error)) {
      issues.push({ path: issue.path, severity: 'error', code: 'schema', message: issue.message, origin: 'schema' });
    }
  }
  issues.push(...editorIssues(draft));
  if (sourceTable) issues.push(...unknownColumnsReadByTransforms(draft, sourceTable));
  if (sourceTable && targetTable) {
    try {
      if (parsed.success) {
        for (const issue of checkMapping(parsed.data, sourceTable, targetTable)) issues.push({ ...issue, origin: 'check' });
      } else {
        const { spec, transformIndex, incompleteFields } = bestEffortSpec(specInput);
        const droppedFilters = spec.source.filter.length !== draft.source.filter.length;
        for (const issue of checkMapping(spec, sourceTable, targetTable)) {
          // An empty key is reported by the schema; checkMapping would add noise about "()".
          if (spec.source.key.length === 0 && issue.path.startsWith('source.key')) continue;
          if (spec.target.key.length === 0 && issue.path.startsWith('target.key')) continue;
          // What a field outputs cannot be told while one of its transforms is incomplete.
          const fieldLevel = /^fields\.(\d+)(\.sources)?$/.exec(issue.path);
          if (fieldLevel && incompleteFields.has(Number(fieldLevel[1]))) continue;
          const path = remapCheckPath(issue.path, transformIndex, droppedFilters);
          if (path === null) continue;
          if (issues.some((existing) => existing.path === path && existing.message === issue.message)) continue;
          issues.push({ ...issue, path, origin: 'check' });
        }
      }
    } catch (error) {
      issues.push({
        path: '',
        severity: 'warning',
        code: 'check_failed',
        message: `the live checks could not run (${error instanceof Error ? error.message : String(error)}); the server checks again on save`,
        origin: 'editor',
      });
    }
  }
  const errorCount = issues.filter((issue) => issue.severity === 'error').length;
  return { spec: parsed.success ? parsed.data : null, issues, errorCount, warningCount: issues.length - errorCount };
}

/** Server answers name paths like "body.spec.fields.3.target"; the editor shows them like its own. */
export function serverSpecIssues(issues: readonly { path: string; message: string }[]): EditorIssue[] {
  return issues
    .filter((issue) => issue.path === 'body.spec' || issue.path.startsWith('body.spec.'))
    .map((issue) => ({
      path: issue.path.replace(/^body\.spec\.?/, ''),
      severity: 'error' as const,
      code: 'server',
      message: issue.message,
      origin: 'server' as const,
    }));
}

// ---- readable paths --------------------------------------------------------------------

const paramLabels: Record<string, string> = {
  format: 'Format',
  formats: 'Formats',
  timeZone: 'Time zone',
  output: 'Output',
  defaultCountry: 'Default country',
  countryColumn: 'Country from column',
  onFailure: 'On failure',
  pattern: 'Pattern',
  flags: 'Flags',
  replacement: 'Replacement',
  separator: 'Separator',
  index: 'Index',
  to: 'Cast to',
  scale: 'Scale',
  value: 'Value',
  map: 'Values',
  otherwise: 'Otherwise',
  caseInsensitive: 'Ignore case',
  trim: 'Trim before lookup',
  op: 'Operation',
};

/** ["formats", "1"] → "Alternative 1"; [] → "". Labels match the parameter inputs. */
export function describeTransformParam(rest: readonly string[]): string {
  if (rest.length === 0) return '';
  const [param, ...more] = rest;
  if (param === 'formats' && more[0] !== undefined) return Number(more[0]) === 0 ? 'Format' : `Alternative ${more[0]}`;
  if (param === 'map' && more.length > 0) return `From "${more.join('.')}"`;
  if (param === 'otherwise' && more[0] === 'value') return 'Otherwise value';
  return paramLabels[param] ?? param;
}

function paramText(rest: string[]): string {
  const label = describeTransformParam(rest);
  return label === '' ? '' : ` › ${label}`;
}

/**
 * "fields.3.transforms.0.format" → "created_at › transform 1 (Parse date / time) › Format".
 * Field positions are read from the draft the issues were computed for.
 */
export function describeIssuePath(path: string, draft: MappingDraft | null, code?: string, message?: string): string {
  const parts = path === '' ? [] : path.split('.');
  if (parts.length === 0) return 'Mapping';
  const [head, ...rest] = parts;
  switch (head) {
    case 'source':
    case 'target': {
      const side = head === 'source' ? 'Source' : 'Target';
      if (rest[0] === 'key') {
        const column = rest[1] !== undefined ? (head === 'source' ? draft?.source.key : draft?.target.key)?.[Number(rest[1])] : undefined;
        return column ? `${side} key "${column}"` : `${side} key`;
      }
      if (rest[0] === 'table') return `${side} table`;
      if (rest[0] === 'filter') {
        if (rest[1] === undefined) return 'Source filters';
        const column = draft?.source.filter[Number(rest[1])]?.column;
        const param = rest[2] === 'column' ? ' › Column' : rest[2] === 'value' ? ' › Value' : rest[2] === 'op' ? ' › Operator' : '';
        return `Filter ${Number(rest[1]) + 1}${column ? ` (${column})` : ''}${param}`;
      }
      return side;
    }
    case 'writeMode':
      return 'Write mode';
    case 'duplicatePolicy':
      return rest[0] === 'orderBy' ? 'Duplicates › Order by' : 'Duplicates';
    case 'fields': {
      if (rest.length === 0) {
        if (code === 'required_unmapped' && message) {
          const named = /column "([^"]+)"/.exec(message);
          if (named) return named[1];
        }
        return 'Fields';
      }
      const field = draft?.fields[Number(rest[0])];
      const name = field?.target ?? `Field ${Number(rest[0]) + 1}`;
      const [, kind, index, ...params] = rest;
      if (kind === 'transforms' && index !== undefined) {
        const transform = field?.transforms[Number(index)];
        const label = transform ? ` (${transformLabels[transform.op as TransformOp] ?? transform.op})` : '';
        return `${name} › transform ${Number(index) + 1}${label}${paramText(params)}`;
      }
      if (kind === 'sources') return index === undefined ? `${name} › source` : `${name} › source ${Number(index) + 1}`;
      return name;
    }
    default:
      return path;
  }
}

/** Which target field an issue belongs to, for marking rows in the field list. */
export function issueTarget(path: string, draft: MappingDraft, code?: string, message?: string): string | null {
  const field = /^fields\.(\d+)/.exec(path);
  if (field) return draft.fields[Number(field[1])]?.target ?? null;
  if (path === 'fields' && code === 'required_unmapped' && message) return /column "([^"]+)"/.exec(message)?.[1] ?? null;
  const key = /^target\.key\.(\d+)/.exec(path);
  if (key) return draft.target.key[Number(key[1])] ?? null;
  return null;
}

/** Issues for one transform, for showing next to its parameters. */
export function transformIssues(issues: readonly EditorIssue[], fieldIndex: number, transformIndex: number): EditorIssue[] {
  const prefix = `fields.${fieldIndex}.transforms.${transformIndex}`;
  return issues.filter((issue) => issue.path === prefix || issue.path.startsWith(`${prefix}.`));
}
