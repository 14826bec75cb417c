import { describeTable } from '../saved-connections/browse-schema';
import { AppError } from '../errors';
import { apiIssues, checkMapping, type ApiIssue } from '../mapping/check-mapping';
import type { MappingSpec } from '../schemas/mapping-spec';
import type { CheckMappingRequest } from '../schemas/mapping-request';
import { checkReferences } from './check-references';
import { checkFileSource } from './check-file-source';

/** Checks a spec against the live source and target tables. */
export async function checkMappingAgainstTables(sourceConnectionId: string, targetConnectionId: string, spec: MappingSpec) {
  const [source, target] = await Promise.all([
    describeTable(sourceConnectionId, spec.source.table),
    describeTable(targetConnectionId, spec.target.table),
  ]);
  return { issues: checkMapping(spec, source, target), source, target };
}

/** POST /api/mappings/check: the errors that would refuse a save and the warnings, without saving. */
export async function checkMappingRequest(request: CheckMappingRequest): Promise<{ errors: ApiIssue[]; warnings: ApiIssue[] }> {
  const { issues } = await checkMappingAgainstTables(request.sourceConnectionId, request.targetConnectionId, request.spec);
  return { errors: apiIssues(issues, 'error'), warnings: apiIssues(issues, 'warning') };
}

/** Refuses to save a mapping with errors, naming each field; returns its warnings, which a save answers with. */
export async function assertMappingValid(sourceConnectionId: string, targetConnectionId: string, spec: MappingSpec, selfId: string | null = null): Promise<ApiIssue[]> {
  const { issues } = await checkMappingAgainstTables(sourceConnectionId, targetConnectionId, spec);
  const errors = [
    ...(await checkFileSource(sourceConnectionId, targetConnectionId, spec)),
    ...apiIssues(issues.filter((i) => i.severity === 'error'), 'error'),
    ...(await checkReferences(spec, selfId)),
  ];
  if (errors.length > 0) {
    throw new AppError(
      'validation_failed',
      `The mapping has ${errors.length} problem(s): ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
      errors.map(({ path, message }) => ({ path, message })),
    );
  }
  return apiIssues(issues, 'warning');
}
