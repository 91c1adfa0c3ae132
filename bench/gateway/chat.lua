-- wrk script: POST one small OpenAI chat request. MODEL picks the deployment (bench = JSON
-- answer, bench-sse = SSE stream); STREAM=1 asks for a stream.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local model = os.getenv("MODEL") or "bench"
local stream = os.getenv("STREAM") == "1"
wrk.body = '{"model":"' .. model .. '","stream":' .. (stream and 'true' or 'false') ..
  ',"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Say hello in five words."}]}'
