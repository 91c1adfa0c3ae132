-- wrk script: POST a chat completion. Env: MODEL, WORDS (prompt length in words), UNIQUE=1 for a
-- fresh prompt per request (classifier cache miss), else the same prompt every time (cache hit),
-- THINK_MS: pause of each connection between its requests (default 0: back to back).
local model = os.getenv("MODEL") or "auto"
local words = tonumber(os.getenv("WORDS") or "15")
local unique = os.getenv("UNIQUE") == "1"
-- Distinct per benchmark run: without it a later "miss" run would repeat an earlier run's prompts
-- (same thread id, same counter) and hit the classifier cache.
local run = os.getenv("RUN") or tostring(os.time())
local think = tonumber(os.getenv("THINK_MS") or "0")
-- Prompt text: random words of bench/words.txt (one token each), 32 texts cycled so the static
-- encoder reads different table rows per request: a 256-token prompt has ~170 distinct tokens, as
-- real prompts do (a short repeated word list would flatter it). Own LCG: deterministic per run,
-- independent of math.random (the pauses).
local vocab = {}
for line in io.lines("bench/words.txt") do
  if line ~= "" and line:sub(1, 1) ~= "#" then vocab[#vocab + 1] = line end
end
local seed = 12345
local function nextWord()
  seed = (seed * 1103515245 + 12345) % 2147483648
  return vocab[(math.floor(seed / 65536) % #vocab) + 1] -- high bits: an LCG's low bits cycle fast
end
local texts = {}
for t = 1, 32 do
  local w = {}
  for i = 1, words do w[i] = nextWord() end
  texts[t] = table.concat(w, " ")
end
local text = texts[1]
local counter = 0
-- `id` is the global that setup() sets in each thread (thread:set); a chunk-level `local id` would
-- shadow it, and both wrk threads would then send the same "unique" prompts (half the misses hit).
id = 0
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function request()
  counter = counter + 1
  local p = text
  if unique then p = "request " .. run .. "-" .. id .. "-" .. counter .. ": " .. texts[(counter % #texts) + 1] end
  local body = '{"model":"' .. model .. '","messages":[{"role":"user","content":"' .. p .. '"}]}'
  return wrk.format("POST", "/v1/chat/completions", {["content-type"] = "application/json"}, body)
end

-- wrk calls delay() before each request when it is defined; the pause is not counted as latency.
-- Exponential pauses (mean THINK_MS): with a fixed pause the connections stay in lockstep and
-- every request arrives in a burst of 16, which no real client population does.
if think > 0 then
  function init(args)
    math.randomseed(os.time() * 1000 + id)
  end
  function delay()
    return math.min(math.floor(-think * math.log(1 - math.random())), 10 * think)
  end
end

function done(summary, latency, requests)
  io.write(string.format("RESULT rps=%.1f p50_ms=%.3f p99_ms=%.3f errors=%d requests=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.requests))
end
