-- A plain GET of the URL wrk was given, with the headers given on the command line.
dofile((os.getenv("BENCH_LUA_DIR") or "bench") .. "/report.lua")
