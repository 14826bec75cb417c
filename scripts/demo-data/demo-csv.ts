import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import iconv from 'iconv-lite';
import { prisma } from '../../lib/db/client';
import { addConfirmedSourceFile } from '../../lib/file-sources/add-confirmed-source-file';
import { fileStorageRoot } from '../../lib/files/file-storage';
import { describeTable } from '../../lib/saved-connections/browse-schema';
import { createMapping } from '../../lib/saved-mappings/save-mapping';
import { mappingSpecSchema, type MappingSpecInput } from '../../lib/schemas/mapping-spec';
import { seedActor } from './seed-actor';

/**
 * The demo's CSV export: leads captured at a trade show, as a spreadsheet saves them
 * (Windows-1252, ';' between fields, a title line above the header, DD/MM/YYYY dates), with
 * the usual damage: a company name holding an unquoted ';' (a field too many), a line cut
 * short, an address that is not one. It is a confirmed file of the file source "Legacy CSV
 * exports", mapped onto the new CRM's contacts (legacy ids from 9,000,001 on, apart from
 * the customers'): run it from the Mappings page, see the error rows with their line
 * numbers; upload a new version on the Files page.
 */
export const DEMO_FILE_SOURCE = 'Legacy CSV exports';
export const DEMO_CSV_MAPPING = 'Trade-show leads (CSV) → contacts';
const TABLE = 'trade_show_leads';
const LEADS = 5_000;

const FIRST = ['Anna', 'Jürgen', 'Zoë', 'Łukasz', 'Marie', 'Søren', 'José', 'Chloé', 'Ömer', 'Hélène'];
const LAST = ['Müller', 'Dubois', 'Nowak', 'García', 'Jensen', 'Rossi', 'Öztürk', 'Smith', 'Novák', 'Lefèvre'];
const COMPANIES = ['Acme GmbH', 'Société Générale de Test', 'Nordic Trade ApS', 'Café Ñandú S.L.', ''];
const COUNTRIES = ['DE', 'FR', 'PL', 'ES', 'DK', 'IT', 'TR', 'GB', 'CZ', 'BE'];

/** The export's bytes: the same leads every time, so a second seed finds the file unchanged. */
export function demoLeadsExport(leads = LEADS): Buffer {
  const lines = ['Leads captured at CRM Expo 2025;;;;;;;', 'Lead no;First name;Last name;E-mail;Company;Country;Status;Captured on'];
  for (let i = 0; i < leads; i++) {
    const no = 9_000_001 + i;
    const first = FIRST[i % FIRST.length];
    const last = LAST[(i * 7) % LAST.length];
    const email = `${first}.${last}.${no}@example.com`.normalize('NFD').replace(/[^\x00-\x7f]/g, '').toLowerCase();
    const day = String((i % 28) + 1).padStart(2, '0');
    const month = String((i % 9) + 1).padStart(2, '0');
    let company = COMPANIES[i % COMPANIES.length];
    let line = `${no};${first};${last};${email};${company};${COUNTRIES[i % COUNTRIES.length]};${i % 3 === 0 ? 'Hot' : 'Cold'};${day}/${month}/2025`;
    if (i === 41) {
      company = 'Smith; Jones & Partners';
      line = `${no};${first};${last};${email};${company};GB;Hot;01/10/2025`;
    }
    if (i === 1_234) line = `${no};${first};${last}`;
    if (i === 2_718) line = `${no};${first};${last};not an address;;DE;Cold;02/10/2025`;
    lines.push(line);
  }
  return iconv.encode(lines.join('\r\n') + '\r\n', 'windows-1252');
}

export const demoLeadsSpec = {
  source: { table: TABLE, key: ['_line'] },
  target: { table: 'contacts', key: ['legacy_id'] },
  writeMode: 'upsert',
  fields: [
    { target: 'legacy_id', sources: ['Lead no'] },
    { target: 'email', sources: ['E-mail'], transforms: [{ op: 'trim' }, { op: 'lower' }, { op: 'email' }] },
    { target: 'full_name', sources: ['First name', 'Last name'], transforms: [{ op: 'trim' }, { op: 'concat', separator: ' ' }] },
    { target: 'first_name', sources: ['First name'] },
    { target: 'last_name', sources: ['Last name'] },
    { target: 'status', sources: ['Status'], transforms: [{ op: 'value_map', map: { Hot: 'prospect', Cold: 'inactive' }, caseInsensitive: true, trim: true }] },
    { target: 'company', sources: ['Company'] },
    { target: 'country', sources: ['Country'] },
    { target: 'created_at', sources: ['Captured on'], transforms: [{ op: 'parse_date', formats: ['YYYY-MM-DD'], timeZone: 'Europe/Berlin', output: 'timestamptz' }] },
  ],
} satisfies MappingSpecInput;

/**
 * Creates the demo file source, its confirmed file and the mapping when missing; never
 * changes what exists (a new version the user uploaded, a mapping they edited).
 */
export async function seedDemoCsv(connectionNames: { target: string }): Promise<{ created: boolean; message: string }> {
  const target = await prisma().connection.findUnique({ where: { name: connectionNames.target }, select: { id: true } });
  if (!target) return { created: false, message: 'Demo CSV export not added: the demo target connection is missing.' };
  const actor = await seedActor();
  if (!actor) return { created: false, message: 'Demo CSV export not added: there is no enabled admin to add it.' };

  // Without the new CRM's tables (docker compose seeds before the data is loaded) nothing is added: seeding again after `npm run demo:load` adds it.
  const contacts = await describeTable(target.id, 'contacts').catch(() => null);
  if (!contacts) return { created: false, message: 'Demo CSV export not added: the new CRM has no contacts table yet. Load the demo data (npm run demo:load) and seed again.' };
  // An upsert by name: two seeds running at once meet on the same file source.
  const source = await prisma().connection.upsert({
    where: { name: DEMO_FILE_SOURCE },
    create: { name: DEMO_FILE_SOURCE, kind: 'csv', host: '', port: 0, database: '', username: '', sslMode: 'disable', createdById: actor.id },
    update: {},
    select: { id: true },
  });
  const ready = await prisma().sourceFile.findFirst({ where: { connectionId: source.id, tableName: TABLE, status: 'ready' }, select: { path: true } });
  let added = false;
  if (!ready) {
    const relative = path.join('demo', 'trade-show-leads-2025.csv');
    const absolute = path.join(fileStorageRoot(), relative);
    await mkdir(path.dirname(absolute), { recursive: true });
    const bytes = demoLeadsExport();
    await writeFile(absolute, bytes);
    await addConfirmedSourceFile(actor, source.id, TABLE, relative, 'Trade-show leads 2025.csv');
    added = true;
  }
  const mapping = await prisma().mapping.findUnique({ where: { name: DEMO_CSV_MAPPING }, select: { id: true } });
  if (!mapping) {
    try {
      await createMapping(actor, { name: DEMO_CSV_MAPPING, sourceConnectionId: source.id, targetConnectionId: target.id, spec: mappingSpecSchema.parse(demoLeadsSpec) });
      added = true;
    } catch (error) {
      return { created: false, message: `Demo CSV mapping not created: ${(error as Error).message}` };
    }
  }
  return added
    ? { created: true, message: `Demo CSV export added: file source "${DEMO_FILE_SOURCE}" (Files page) and the mapping "${DEMO_CSV_MAPPING}", ready to run.` }
    : { created: false, message: `Demo CSV export "${DEMO_FILE_SOURCE}" exists already.` };
}
