-- wrk script: POST a chat completion whose prompt is recorded (see RecordedUpstreamBenchMain).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local stream = os.getenv("STREAM") == "1"
wrk.body = '{"model":"bench-model","stream":' .. (stream and 'true,"stream_options":{"include_usage":true}' or 'false') ..
  ',"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"bench prompt"}]}'
