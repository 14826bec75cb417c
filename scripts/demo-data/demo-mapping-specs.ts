import type { MappingSpecInput } from '../../lib/schemas/mapping-spec';

/**
 * The demo's mappings of the legacy CRM onto the new one, as saved specs. Each cleans what
 * load-demo-data.ts documents as messy in its table. Contacts and deals are upserted on
 * legacy_id (the new CRM generates their ids); the rows that point at them take the new ids
 * through the parent mapping's id map, so a reference is a mapping id, known once the parent
 * is saved. `by: 'target_column'` resolves them through the parents' legacy_id instead
 * (the external-id style; bench:plan's --references).
 */

const trim = { op: 'trim' } as const;
const nullIfEmpty = { op: 'null_if_empty' } as const;
/** The text date formats of customers.created_dt and tickets.opened, read as UTC. */
const legacyTextDate = { op: 'parse_date' as const, formats: ['YYYY-MM-DD', 'DD/MM/YYYY', 'MM-DD-YYYY HH:mm'], timeZone: 'UTC', output: 'timestamptz' as const };
export type ReferenceStyle = 'id_map' | 'target_column';
/** A reference to the parent mapping: its id map, or the legacy_id column its target keeps. */
const parentRef = (mapping: string, by: ReferenceStyle) => (by === 'id_map' ? ({ by, mapping } as const) : ({ by, mapping, column: 'legacy_id' } as const));

/** customers → contacts: padded and mixed-case emails, lower-case status letters, text dates. */
export const customersToContactsSpec = {
  source: { table: 'customers', key: ['cust_id'] },
  target: { table: 'contacts', key: ['legacy_id'] },
  writeMode: 'upsert',
  fields: [
    { target: 'legacy_id', sources: ['cust_id'] },
    { target: 'email', sources: ['email_addr'], transforms: [trim, { op: 'lower' }, { op: 'email' }] },
    { target: 'full_name', sources: ['first_nm', 'last_nm'], transforms: [trim, { op: 'concat', separator: ' ' }] },
    { target: 'first_name', sources: ['first_nm'], transforms: [trim, nullIfEmpty] },
    { target: 'last_name', sources: ['last_nm'], transforms: [trim, nullIfEmpty] },
    { target: 'status', sources: ['status'], transforms: [{ op: 'value_map', map: { A: 'active', I: 'inactive', P: 'prospect' }, caseInsensitive: true, trim: true }] },
    { target: 'company', sources: ['company'], transforms: [trim, nullIfEmpty] },
    { target: 'country', sources: ['country'], transforms: [{ op: 'upper' }] },
    { target: 'created_at', sources: ['created_dt'], transforms: [trim, legacyTextDate] },
  ],
} satisfies MappingSpecInput;

/** orders → deals: 'cancelled ' and upper-case statuses, 'usd'; orphan and missing customers fail as their contact does not exist. */
export const ordersToDealsSpec = (contactsMappingId: string, by: ReferenceStyle = 'id_map') =>
  ({
    source: { table: 'orders', key: ['order_no'] },
    target: { table: 'deals', key: ['legacy_id'] },
    writeMode: 'upsert',
    fields: [
      { target: 'legacy_id', sources: ['order_no'] },
      { target: 'contact_id', sources: ['cust_id'], reference: parentRef(contactsMappingId, by) },
      { target: 'amount', sources: ['total_amt'] },
      { target: 'currency', sources: ['currency'], transforms: [trim, { op: 'upper' }] },
      { target: 'stage', sources: ['status'], transforms: [{ op: 'value_map', map: { NEW: 'open', SHIPPED: 'won', CANCELLED: 'lost', RETURNED: 'refunded' }, caseInsensitive: true, trim: true }] },
      { target: 'created_at', sources: ['order_date'] },
    ],
  }) satisfies MappingSpecInput;

/** payments → payments: 'CARD' is a card; a payment without a method fails (the new CRM requires one). */
export const paymentsToPaymentsSpec = (dealsMappingId: string, by: ReferenceStyle = 'id_map') =>
  ({
    source: { table: 'payments', key: ['id'] },
    target: { table: 'payments', key: ['id'] },
    writeMode: 'upsert',
    fields: [
      { target: 'id', sources: ['id'] },
      { target: 'deal_id', sources: ['order_no'], reference: parentRef(dealsMappingId, by) },
      { target: 'amount', sources: ['amount'] },
      { target: 'method', sources: ['method'], transforms: [trim, { op: 'lower' }] },
      { target: 'paid_at', sources: ['paid_at'] },
    ],
  }) satisfies MappingSpecInput;

/** tickets → cases: empty subjects, 'OPEN', text dates; priorities 0 and 9 fail the new CRM's 1–5. */
export const ticketsToCasesSpec = (contactsMappingId: string, by: ReferenceStyle = 'id_map') =>
  ({
    source: { table: 'tickets', key: ['ticket_id'] },
    target: { table: 'cases', key: ['id'] },
    writeMode: 'upsert',
    fields: [
      { target: 'id', sources: ['ticket_id'] },
      { target: 'contact_id', sources: ['cust_id'], reference: parentRef(contactsMappingId, by) },
      { target: 'subject', sources: ['subject'], transforms: [trim, nullIfEmpty, { op: 'default', value: '(no subject)' }] },
      { target: 'body', sources: ['body'] },
      { target: 'priority', sources: ['priority'] },
      { target: 'state', sources: ['state'], transforms: [{ op: 'value_map', map: { open: 'open', pending: 'pending', closed: 'closed' }, caseInsensitive: true, trim: true }] },
      { target: 'opened_at', sources: ['opened'], transforms: [trim, legacyTextDate] },
    ],
  }) satisfies MappingSpecInput;
