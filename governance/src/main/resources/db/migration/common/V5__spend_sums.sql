-- The gateway writes the spend ledger as sums (one row per key, team, model and UTC day per flush) rather than a row
-- per request: a row per request cost more CPU than the request's own pass-through. A row now says how many requests
-- it sums; rows written before this migration are single requests. request_id is the row's id (a request id, or an id
-- the writer made for a sum).
ALTER TABLE spend ADD COLUMN requests BIGINT DEFAULT 1 NOT NULL;
