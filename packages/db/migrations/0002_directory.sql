-- The directory: agencies, their department trees, the people HR records, and mail accounts.
CREATE TABLE agencies (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL UNIQUE,
  name text NOT NULL,
  -- central 중앙행정기관, local 지방자치단체, education 교육기관 (EPKI), public 공공기관
  type text NOT NULL CHECK (type IN ('central', 'local', 'education', 'public')),
  mobile_id_adopted boolean NOT NULL DEFAULT false,
  -- NULL: the server's default mail domain (GONGJIK_MAIL_DOMAIN, korea.kr)
  mail_domain text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE departments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  agency_id uuid NOT NULL REFERENCES agencies (id),
  code text NOT NULL,
  name text NOT NULL,
  parent_id uuid REFERENCES departments (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (agency_id, code),
  CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX departments_parent_idx ON departments (parent_id);

CREATE TABLE people (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  employee_number text NOT NULL UNIQUE,
  agency_id uuid NOT NULL REFERENCES agencies (id),
  department_id uuid REFERENCES departments (id),
  -- Unicode NFC, exactly as HR spells it (inner spaces are significant)
  real_name text NOT NULL,
  position text,
  -- digits only, e.g. 01012345678
  mobile text,
  is_department_head boolean NOT NULL DEFAULT false,
  state text NOT NULL CHECK (state IN ('active', 'on_leave', 'retired')),
  retirement_date date,
  retired_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX people_agency_idx ON people (agency_id);
CREATE INDEX people_department_idx ON people (department_id);
CREATE INDEX people_retirement_due_idx ON people (retirement_date) WHERE state <> 'retired';

CREATE TABLE accounts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- NULL only for institutional (special-purpose) mailboxes
  person_id uuid UNIQUE REFERENCES people (id),
  agency_id uuid NOT NULL REFERENCES agencies (id),
  local_part text NOT NULL,
  domain text NOT NULL,
  -- copied from HR (people.real_name) for personal accounts
  real_name text NOT NULL,
  -- pending: created by HR, no certificate registered yet; active; locked; retired (read-only, login refused)
  state text NOT NULL CHECK (state IN ('pending', 'active', 'locked', 'retired')),
  institutional boolean NOT NULL DEFAULT false,
  locked_at timestamptz,
  retired_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (local_part, domain),
  CHECK (institutional OR person_id IS NOT NULL)
);
CREATE INDEX accounts_agency_idx ON accounts (agency_id);
