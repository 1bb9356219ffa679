-- POST TestSchedule, every request for a different candidate (TS-26 allows one open
-- session per candidate and test), so each one passes every rule and is written.
--
--   wrk ... -s bench/schedule.lua URL -- existing PLAN_FILE AUTHORIZATION OFFSET BLOCK
--     each line of PLAN_FILE is "reference centre test" for a candidate already
--     registered at that centre and in the test's subject (bench/tenants.py makes them).
--     Thread t takes lines OFFSET + (t - 1) * BLOCK + 1, + 2, ... up to its BLOCK lines:
--     threads do not keep pace with each other, so each has its own lines. Past them it
--     repeats a candidate, TS-26 answers 400, and bench/run.py fails the run.
--   wrk ... -s bench/schedule.lua URL -- quick NONCE AUTHORIZATION
--     a new candidate per request, registered by the schedule itself (headers
--     quickRegisterCandidate and autoSyncCentreSubject), reference Q<nonce>-<t>-<n>.
dofile((os.getenv("BENCH_LUA_DIR") or "bench") .. "/report.lua")

local next_thread = 1

function setup(thread)
  thread:set("thread_id", next_thread)
  next_thread = next_thread + 1
end

local mode, plan, nonce, counter, first, last, headers
-- Centre and test pairs for a new candidate: each centre offers the test's subject in
-- every seeded tenant (sandbox/providers/surpass/fixtures.py).
local QUICK = {
  {"CEN001", "MATHS-FND"}, {"CEN002", "ENGLANG-READ"}, {"CEN003", "COMPSCI-PROG"},
  {"CEN002", "HSAFETY-IOSH"}, {"CEN002", "MATHS-PRAC"},
}

function init(args)
  mode = args[1]
  headers = {["Content-Type"] = "application/json", ["Authorization"] = args[3]}
  counter = 1
  if mode == "existing" then
    local block = tonumber(args[5])
    first = tonumber(args[4]) + (thread_id - 1) * block + 1
    last = first + block - 1
    counter = first
    plan = {}
    for line in io.lines(args[2]) do
      local reference, centre, test = line:match("^(%S+) (%S+) (%S+)$")
      plan[#plan + 1] = {reference, centre, test}
    end
  else
    nonce = args[2]
    headers["quickRegisterCandidate"] = "true"
    headers["autoSyncCentreSubject"] = "true"
  end
end

function request()
  local n = counter
  counter = counter + 1
  local candidate, centre, test
  if mode == "existing" then
    if n > last then n = first end
    local target = plan[n]
    candidate = string.format('{"reference": "%s"}', target[1])
    centre, test = target[2], target[3]
  else
    local pair = QUICK[n % #QUICK + 1]
    centre, test = pair[1], pair[2]
    candidate = string.format(
      '{"reference": "Q%s-%d-%d", "firstName": "Alex", "lastName": "Bench%d", ' ..
      '"dateOfBirth": "1990-01-01"}', nonce, thread_id, n, n % 997)
  end
  -- A one-day window in July 2030, spread over 28 days (a PIN is per centre, test, day).
  local day = string.format("%02d/07/2030", n % 28 + 1)
  local body = string.format(
    '{"test": {"reference": "%s"}, "centre": {"reference": "%s"}, "candidate": %s, ' ..
    '"startDate": "%s", "endDate": "%s", "startTime": "0900", "endTime": "1700"}',
    test, centre, candidate, day, day)
  return wrk.format("POST", nil, headers, body)
end
