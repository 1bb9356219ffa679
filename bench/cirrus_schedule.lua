-- Cirrus POST /schedule: every request books two new candidates on MATH-101 with a
-- generated ScheduleExtId (none sent: S13), so every request is a new, valid schedule.
--
--   wrk ... -H 'Authorization: EAPI TOKEN' -s bench/cirrus_schedule.lua URL -- NONCE
--   NONCE: makes this run's candidate ids its own.
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
    '{"Schedule": {"AssessmentExtId": "MATH-101", "StartDateTime": "2030-02-%02dT09:00:00Z", ' ..
    '"GroupExtId": "bench", "GroupName": "Bench"}, "Candidates": [' ..
    '{"CandidateExtId": "%s-%d-%d-a", "FirstName": "Ada", "LastName": "Lovelace", ' ..
    '"Email": "ada@bench.example"}, ' ..
    '{"CandidateExtId": "%s-%d-%d-b", "FirstName": "Alan", "LastName": "Turing", ' ..
    '"Email": "alan@bench.example"}]}',
    n % 28 + 1, nonce, thread_id, n, nonce, thread_id, n)
  return wrk.format("POST", nil, nil, body)
end
