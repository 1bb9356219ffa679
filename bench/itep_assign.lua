-- iTEP POST /test-ids/assign: every request assigns the next available test ID to a new
-- candidate (an Assigned-to object with a name, an e-mail and a reference of its own).
--
--   wrk ... -H 'X-API-Key: KEY' -s bench/itep_assign.lua URL -- NONCE
dofile((os.getenv("BENCH_LUA_DIR") or "bench") .. "/report.lua")

local next_thread = 1

function setup(thread)
  thread:set("thread_id", next_thread)
  next_thread = next_thread + 1
end

local nonce, counter

function init(args)
  nonce = args[1] or "run"
  counter = 0
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  local n = counter
  counter = counter + 1
  local body = string.format(
    '{"assigned_to": {"name": "Ada Lovelace", "email": "ada@bench.example", ' ..
    '"reference": "%s-%d-%d"}, "oid": "%s-%d-%d"}',
    nonce, thread_id, n, nonce, thread_id, n)
  return wrk.format("POST", nil, nil, body)
end
