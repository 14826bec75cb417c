import { describeTable } from '../saved-connections/browse-schema';
import { AppError } from '../errors';
import { checkMapping, type Issue } from '../mapping/check-mapping';
import type { MappingSpec } from '../schemas/mapping-spec';

/** Checks a spec against the live source and target tables. */
export async function checkMappingAgainstTables(sourceConnectionId: string, targetConnectionId: string, spec: MappingSpec) {
  const [source, target] = await Promise.all([
    describeTable(sourceConnectionId, spec.source.table),
    describeTable(targetConnectionId, spec.target.table),
  ]);
  return { issues: checkMapping(spec, source, target), source, target };
}

/** Refuses to save a mapping with errors, naming each field. */
export async function assertMappingValid(sourceConnectionId: string, targetConnectionId: string, spec: MappingSpec): Promise<Issue[]> {
  const { issues } = await checkMappingAgainstTables(sourceConnectionId, targetConnectionId, spec);
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) {
    throw new AppError(
      'validation_failed',
      `The mapping has ${errors.length} problem(s): ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
      errors.map((e) => ({ path: `body.spec.${e.path}`, message: e.message })),
    );
  }
  return issues;
}
