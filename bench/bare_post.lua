-- POST the bare app's /schedule: a body of the same shape and size as schedule.lua's.
dofile((os.getenv("BENCH_LUA_DIR") or "bench") .. "/report.lua")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"test": {"reference": "MATHS-FND"}, "centre": {"reference": "CEN001"}, ' ..
  '"candidate": {"reference": "CAND20121"}, "startDate": "05/07/2030", ' ..
  '"endDate": "05/07/2030", "startTime": "0900", "endTime": "1700"}'
