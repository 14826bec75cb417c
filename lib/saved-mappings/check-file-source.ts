import { prisma } from '../db/client';
import type { ApiIssue } from '../mapping/check-mapping';
import type { MappingSpec } from '../schemas/mapping-spec';

/**
 * What a file source (kind csv) allows a mapping: to be its source only, read by one key
 * column (the line number `_line`, or one column the export is sorted by; whether it is
 * sorted is found when the file is first read by it, and a run says so if not).
 */
export async function checkFileSource(sourceConnectionId: string, targetConnectionId: string, spec: MappingSpec): Promise<ApiIssue[]> {
  const rows = await prisma().connection.findMany({ where: { id: { in: [sourceConnectionId, targetConnectionId] } }, select: { id: true, kind: true } });
  const kindOf = (id: string) => rows.find((row) => row.id === id)?.kind;
  const issues: ApiIssue[] = [];
  if (kindOf(targetConnectionId) === 'csv') {
    issues.push({ path: 'targetConnectionId', message: 'a file source can only be read: choose a database as the target', code: 'file_source' });
  }
  if (kindOf(sourceConnectionId) === 'csv' && spec.source.key.length !== 1) {
    issues.push({ path: 'spec.source.key', message: 'a CSV file is read by one key column: _line (the line number) or one column the file is sorted by', code: 'file_source' });
  }
  return issues;
}
