/**
 * Customers the benchmark mapping must refuse, by the generator's own rules
 * (scripts/demo-data/load-demo-data.ts, rules 1–5): a bad or duplicate email, no last name,
 * an unknown status, a date in none of the three formats. One query over `table`, read as
 * `invalid`, for bench:migrate (the legacy copy) and bench:csv (the baseline's copy of the file).
 */
export const invalidCustomersSql = (table: string) => `
  WITH v AS (
    SELECT lower(trim(email_addr)) AS e,
      coalesce(lower(trim(email_addr)) ~ '^[a-z0-9._%+-]+@[a-z0-9-]+([.][a-z0-9-]+)+$', false)
      AND coalesce(trim(last_nm) <> '', false)
      AND coalesce(upper(trim(status)) IN ('A', 'I', 'P'), false)
      AND coalesce(trim(created_dt) ~ '^([0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{2}/[0-9]{2}/[0-9]{4}|[0-9]{2}-[0-9]{2}-[0-9]{4} [0-9]{2}:[0-9]{2})$', false) AS ok
    FROM ${table})
  SELECT (count(*) FILTER (WHERE NOT ok)) + (count(*) FILTER (WHERE ok) - count(DISTINCT e) FILTER (WHERE ok)) AS invalid FROM v`;
