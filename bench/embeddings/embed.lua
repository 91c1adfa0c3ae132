-- wrk script: POST one /v1/embeddings request of 32 short texts (6-12 words each) to MODEL.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local model = os.getenv("MODEL") or "local/minilm-static-256"
local texts = {
  "How do I reset my router password?", "Summarise this contract in three bullet points.",
  "What is the capital of Australia?", "Write a haiku about autumn rain.",
  "Explain B-tree splits to a new engineer.", "Translate good morning into Portuguese.",
  "Why does my Java build fail offline?", "List three uses for baking soda.",
  "Compare Kafka and RabbitMQ for event streaming.", "Draft a polite reminder about an unpaid invoice.",
  "What causes the seasons on Earth?", "Give me a regex for an ISO date.",
  "Suggest a name for a coffee shop.", "How many bytes are in a kibibyte?",
  "Refactor this loop into a stream pipeline.", "What is the boiling point of water at altitude?",
  "Outline a 30 minute beginner workout.", "Explain the CAP theorem briefly.",
  "Recommend a novel set in Lisbon.", "Convert 72 Fahrenheit to Celsius.",
  "What does HTTP status 429 mean?", "Write a SQL query for the top five customers.",
  "How do vaccines train the immune system?", "Plan a two day trip to Kyoto.",
  "What is a monad in plain words?", "Fix the grammar in this sentence please.",
  "Describe the water cycle for children.", "Which sorting algorithm is stable?",
  "Estimate the cost of painting a room.", "Explain gradient descent with an analogy.",
  "What is the difference between TCP and UDP?", "Write a limerick about a sleepy cat."
}
local parts = {}
for i, t in ipairs(texts) do parts[i] = '"' .. t .. '"' end
wrk.body = '{"model":"' .. model .. '","input":[' .. table.concat(parts, ",") .. ']}'
