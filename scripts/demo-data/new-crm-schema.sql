-- New CRM for the Ferry demo (PostgreSQL 15): the strict target of the migration.
--
-- Other names and stricter types than the legacy CRM: real timestamps, enums instead of
-- letter codes, NOT NULL where the business needs a value, foreign keys, and CHECKs that
-- reject what the legacy data is full of (mixed-case emails, non-E.164 phones, negative deal
-- amounts). Every row's id is the legacy key, so a migration can upsert idempotently.
--
-- Idempotent (IF NOT EXISTS, duplicate_object ignored): load-demo-data.ts runs it every
-- time to create whatever is missing without touching existing rows.

DO $$ BEGIN
  CREATE TYPE contact_status AS ENUM ('active', 'inactive', 'prospect');
EXCEPTION WHEN duplicate_object THEN NULL; END $$;

DO $$ BEGIN
  -- legacy orders: NEW -> open, SHIPPED -> won, CANCELLED -> lost, RETURNED -> refunded
  CREATE TYPE deal_stage AS ENUM ('open', 'won', 'lost', 'refunded');
EXCEPTION WHEN duplicate_object THEN NULL; END $$;

DO $$ BEGIN
  CREATE TYPE case_state AS ENUM ('open', 'pending', 'closed');
EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE TABLE IF NOT EXISTS contacts (
  id BIGINT PRIMARY KEY,                  -- legacy customers.cust_id
  email TEXT NOT NULL UNIQUE CHECK (email = lower(email) AND position('@' in email) > 1),
  full_name TEXT NOT NULL,
  first_name TEXT,
  last_name TEXT NOT NULL,
  phone TEXT CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),   -- E.164
  status contact_status NOT NULL,
  company TEXT,
  country CHAR(2),
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS contacts_created_at_idx ON contacts (created_at);

CREATE TABLE IF NOT EXISTS deals (
  id TEXT PRIMARY KEY,                    -- legacy orders.order_no
  contact_id BIGINT NOT NULL REFERENCES contacts (id),
  amount NUMERIC(12,2) NOT NULL CHECK (amount >= 0),
  currency CHAR(3) NOT NULL,
  stage deal_stage NOT NULL,
  closed_at TIMESTAMPTZ NULL,
  created_at TIMESTAMPTZ NOT NULL
);
-- Postgres does not index the referencing side of a foreign key; joins and deletes need it.
CREATE INDEX IF NOT EXISTS deals_contact_id_idx ON deals (contact_id);

CREATE TABLE IF NOT EXISTS payments (
  id BIGINT PRIMARY KEY,                  -- legacy payments.id
  deal_id TEXT NOT NULL REFERENCES deals (id),
  amount NUMERIC(12,2) NOT NULL,          -- negative = refund
  method TEXT NOT NULL CHECK (method IN ('card', 'wire', 'paypal')),
  paid_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS payments_deal_id_idx ON payments (deal_id);

CREATE TABLE IF NOT EXISTS cases (
  id BIGINT PRIMARY KEY,                  -- legacy tickets.ticket_id
  contact_id BIGINT NOT NULL REFERENCES contacts (id),
  subject TEXT NOT NULL,
  body TEXT,
  priority SMALLINT NOT NULL CHECK (priority BETWEEN 1 AND 5),
  state case_state NOT NULL,
  opened_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS cases_contact_id_idx ON cases (contact_id);
