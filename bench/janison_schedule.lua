-- Janison POST testschedule: every request books two candidates on a test package at a
-- centre on a day, each request another pair, centre, package and day, so every request
-- is a new, valid schedule (Janison has no one-open-booking rule; ENR-1 only refuses the
-- same candidate twice in one request, and 2030 is never before the tenant's today).
--
--   wrk ... -H 'Ocp-Apim-Subscription-Key: KEY' -H 'Authorization: Bearer TOKEN' \
--     -s bench/janison_schedule.lua URL -- CANDIDATES
--   CANDIDATES: how many candidates the tenant has, ids 1..CANDIDATES (40 when seeded).
dofile((os.getenv("BENCH_LUA_DIR") or "bench") .. "/report.lua")

local next_thread = 1

function setup(thread)
  thread:set("thread_id", next_thread)
  next_thread = next_thread + 1
end

local PACKAGES = {"ENG-GEN-4S", "ENG-GEN-LR", "ENG-ACAD-4S"}
local candidates, counter

function init(args)
  candidates = tonumber(args[1])
  counter = 0
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  local n = counter
  counter = counter + 1
  local first = (n * 2 + thread_id * 13) % candidates + 1
  local second = first % candidates + 1
  local body = string.format(
    '{"testPackage": {"reference": "%s"}, "centre": {"reference": "CTR%03d"}, ' ..
    '"candidates": [{"id": %d}, {"id": %d}], "testPackageDate": "2030-07-%02d"}',
    PACKAGES[n % #PACKAGES + 1], n % 4 + 1, first, second, n % 28 + 1)
  return wrk.format("POST", nil, nil, body)
end
