-- Admin keys created through the admin API carry a role (admin, viewer, team-admin); ordinary keys none.
ALTER TABLE api_keys ADD COLUMN admin_role VARCHAR(16);
