-- wrk script: POST a chat completion. Env: MODEL, WORDS (prompt length in words), UNIQUE=1 for a
-- fresh prompt per request (classifier cache miss), else the same prompt every time (cache hit).
local model = os.getenv("MODEL") or "auto"
local words = tonumber(os.getenv("WORDS") or "15")
local unique = os.getenv("UNIQUE") == "1"
-- Distinct per benchmark run: without it a later "miss" run would repeat an earlier run's prompts
-- (same thread id, same counter) and hit the classifier cache.
local run = os.getenv("RUN") or tostring(os.time())
local base = {}
local vocab = {"explain", "the", "difference", "between", "a", "process", "and", "thread", "in", "operating",
  "systems", "with", "examples", "of", "scheduling", "memory", "isolation", "costs", "tradeoffs", "design"}
for i = 1, words do base[#base + 1] = vocab[(i % #vocab) + 1] end
local text = table.concat(base, " ")
local counter = 0
local id = 0
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function request()
  counter = counter + 1
  local p = text
  if unique then p = "request " .. run .. "-" .. id .. "-" .. counter .. ": " .. text end
  local body = '{"model":"' .. model .. '","messages":[{"role":"user","content":"' .. p .. '"}]}'
  return wrk.format("POST", "/v1/chat/completions", {["content-type"] = "application/json"}, body)
end

function done(summary, latency, requests)
  io.write(string.format("RESULT rps=%.1f p50_ms=%.3f p99_ms=%.3f errors=%d requests=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.requests))
end
