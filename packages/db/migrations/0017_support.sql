-- Support: each agency's security officer (보안담당관), shown to its officials with the help desk
-- phone (GONGJIK_HELP_DESK_PHONE, a setting, not a row). All three are set together or all NULL.
ALTER TABLE agencies ADD COLUMN security_officer_name text;
ALTER TABLE agencies ADD COLUMN security_officer_phone text;
ALTER TABLE agencies ADD COLUMN security_officer_email text;
