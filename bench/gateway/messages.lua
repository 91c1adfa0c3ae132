-- wrk script: POST one small Anthropic Messages request (the same conversation as chat.lua) to /v1/messages,
-- with the headers the Anthropic SDK sends. MODEL picks the deployment.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["anthropic-version"] = "2023-06-01"
wrk.headers["x-api-key"] = "unused-with-auth-off"
local model = os.getenv("MODEL") or "bench"
wrk.body = '{"model":"' .. model .. '","max_tokens":256,"system":"Be brief.",' ..
  '"messages":[{"role":"user","content":"Say hello in five words."}]}'
