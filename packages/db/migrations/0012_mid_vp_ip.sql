-- The asking browser's address on OpenID4VP presentation requests, so the requests one address
-- may open are bounded (ERR_MID_VP_RATE_LIMITED).
ALTER TABLE mid_vp_requests ADD COLUMN ip text;
CREATE INDEX mid_vp_requests_ip_idx ON mid_vp_requests (ip, created_at);
