-- Budget-aware routing: the share of a key's or team's budget past which eval-driven routes lower the quality
-- target for the rest of the period. NULL: never.
ALTER TABLE api_keys ADD COLUMN budget_downgrade_at DOUBLE PRECISION;
ALTER TABLE teams ADD COLUMN budget_downgrade_at DOUBLE PRECISION;
