import { expect, type APIRequestContext } from '@playwright/test';
import { freshPeopleDatabasesWith, peopleSpec as peopleSpecFor, pgUrl } from '../../../e2e/fixtures/people-mapping';

export { pgUrl };

/** A fresh PostgreSQL source with `people (id, email, status)` holding `rows`, and an empty target `contacts`. */
export function freshPeople(prefix: string, rows: { id: number; email: string; status: string }[]) {
  return freshPeopleDatabasesWith(prefix, (source) =>
    source.query(`INSERT INTO people SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(id int, email text, status text)`, [JSON.stringify(rows)]),
  );
}

/** people → contacts; a status other than A, or a bad email, fails the row (an error row keeps it). */
export const peopleSpec = peopleSpecFor({ A: 'active' });

/** Two connections and a mapping over `databases`, through the API; answers their ids. */
export async function createPeopleMapping(client: APIRequestContext, name: string, databases: { source: string; target: string }) {
  const connection = async (label: string, database: string) => {
    const response = await client.post('/api/connections', {
      data: { name: `${name} ${label}`, kind: 'postgres', host: '127.0.0.1', port: 5432, database, username: 'postgres', sslMode: 'disable', schema: 'public' },
    });
    expect(response.status(), await response.text()).toBe(200);
    return (await response.json()).connection.id as string;
  };
  const sourceConnectionId = await connection('source', databases.source);
  const targetConnectionId = await connection('target', databases.target);
  const created = await client.post('/api/mappings', { data: { name, sourceConnectionId, targetConnectionId, spec: peopleSpec } });
  expect(created.status(), await created.text()).toBe(200);
  return { mappingId: (await created.json()).mapping.id as string, sourceConnectionId, targetConnectionId };
}

const finalStatuses = ['completed', 'completed_with_errors', 'failed', 'cancelled'];

/** Polls a job until `accept(status)` (default: any final status); answers the status. */
export async function waitForJob(client: APIRequestContext, jobId: string, accept = (status: string) => finalStatuses.includes(status), timeoutMs = 90_000) {
  const started = Date.now();
  for (;;) {
    const response = await client.get(`/api/jobs/${jobId}`);
    expect(response.status(), await response.text()).toBe(200);
    const { job } = (await response.json()) as { job: { status: string } };
    if (accept(job.status)) return job.status;
    if (Date.now() - started > timeoutMs) throw new Error(`job ${jobId} is still ${job.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
