'use client';
import Link from 'next/link';
import { useJob, type JobView } from '@/hooks/use-jobs';
import { isReportRunning, useJobConsistency } from '@/hooks/use-consistency';
import { isFinal } from '@/lib/jobs/job-state';
import { Card, ErrorNotice } from '@/components/ui/card';
import { RepairButton } from './consistency-actions';
import { DiffDrilldown } from './diff-drilldown';
import { ConsistencyReportPanel } from './report-panel';

/** How long after a job ends its page keeps looking for the verification it triggers. */
const triggerGraceMs = 2 * 60_000;

/**
 * How often to look for the job's report while there is none: every second for a verify
 * job or a job that has just ended (its verification starts now), slower while a
 * migration still runs, and not at all long after the end.
 */
function reportWait(job: JobView): number | false {
  if (job.kindView.consistency === 'none') return false;
  if (!isFinal(job.status)) return job.kindView.consistency === 'own' ? 1000 : 3000;
  return !job.finishedAt || Date.now() - new Date(job.finishedAt).getTime() < triggerGraceMs ? 1000 : false;
}

/**
 * The job page's consistency section: a verify job's own report with its differences, or
 * the report of the verification a migration or repair triggered when it finished.
 */
export function JobConsistency({ jobId }: { jobId: string }) {
  const job = useJob(jobId).data;
  const consistency = useJobConsistency(jobId, () => (job ? reportWait(job) : false));
  if (!job || job.kindView.consistency === 'none') return null;
  const report = consistency.data;
  const mappingLink = (
    <Link href={`/mappings/${job.mapping.id}/consistency`} className="rounded-md px-2 py-1.5 text-sm text-indigo-700 hover:underline">
      Mapping consistency
    </Link>
  );

  if (!report) {
    return (
      <Card title="Consistency" actions={mappingLink}>
        <ErrorNotice error={consistency.error} />
        <p className="text-sm text-slate-500" data-testid="consistency-pending">
          {job.kindView.consistency === 'own'
            ? isFinal(job.status) ? 'This verification produced no report.' : 'Waiting for the verification to start…'
            : !isFinal(job.status)
              ? `The target is verified when this ${job.kindView.label} finishes, if automatic verification is on for the mapping.`
              : reportWait(job) !== false
                ? 'Looking for the verification this job triggered…'
                : 'No verification followed this job. Verify the mapping from its consistency page.'}
        </p>
      </Card>
    );
  }

  const ownReport = report.jobId === jobId;
  return (
    <div className="space-y-6" data-testid="job-consistency">
      <ConsistencyReportPanel
        report={report}
        title={ownReport ? 'Consistency' : `Consistency after this ${job.kindView.label}`}
        actions={
          <>
            <RepairButton report={report} targetTable={job.mapping.targetTable} />
            {mappingLink}
          </>
        }
      />
      {ownReport && !isReportRunning(report) && <DiffDrilldown key={report.id} report={report} />}
    </div>
  );
}
