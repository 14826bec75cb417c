import { LINE_COLUMN } from '../connectors/csv/csv-key-index';
import type { CsvShape } from '../connectors/csv/csv-shape';
import { AppError, type FieldIssue } from '../errors';


/** Column names a table can be read by: each once, and none the connector's own `_line`. */
export function checkConfirmedShape(shape: CsvShape, prefix = 'body.shape'): void {
  const issues: FieldIssue[] = [];
  const seen = new Map<string, number>();
  shape.columns.forEach((column, i) => {
    const path = `${prefix}.columns.${i}.name`;
    if (column.name === LINE_COLUMN) issues.push({ path, message: `"${LINE_COLUMN}" is the line number Ferry adds to every file; name this column differently` });
    const first = seen.get(column.name);
    if (first !== undefined) issues.push({ path, message: `"${column.name}" is also the name of column ${first + 1}; each column needs its own name` });
    else seen.set(column.name, i);
  });
  if (issues.length > 0) throw new AppError('validation_failed', `Invalid shape: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, issues);
}
