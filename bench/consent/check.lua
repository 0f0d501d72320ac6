-- bench/consent/check.lua — wrk script of bench/consent/run.sh (not a test).
--   MODE=check   GET /api/v1/consents/check for random seeded subjects (national IDs built as
--                bench_consent.c builds them: "1" + n in 11 digits + the mod-11 check digit,
--                n < SUBJECTS) and one of the four consent-basis purposes, 20,000 requests made
--                up front per thread and sent round-robin; TOKEN is the bearer token
--   MODE=healthz GET /healthz (wrk's static request: no Lua per request)
-- done() prints "p50_us=… p99_us=… requests=… errors=…" for run.sh.
local mode = os.getenv("MODE") or "check"
local subjects = tonumber(os.getenv("SUBJECTS") or "1000000")
local token = os.getenv("TOKEN") or ""
local purposes = { "e-newsletter", "health", "survey", "sms" }
local threads, nthreads = {}, 0

local function tnin(n)
  local s = string.format("1%011d", n % 100000000000)
  local sum = 0
  for i = 1, 12 do sum = sum + (s:byte(i) - 48) * (14 - i) end
  return s .. tostring((11 - sum % 11) % 10)
end

function setup(thread)
  nthreads = nthreads + 1
  thread:set("seed", nthreads)
  table.insert(threads, thread)
end

if mode == "check" then
  local reqs, i = {}, 0
  function init(args)
    math.randomseed(seed * 7919 + 17)
    local hdr = { ["Authorization"] = "Bearer " .. token }
    for k = 1, 20000 do
      local p = purposes[math.random(1, #purposes)]
      local id = tnin(math.random(0, subjects - 1))
      reqs[k] = wrk.format("GET", "/api/v1/consents/check?purpose=" .. p .. "&subject=" .. id ..
        "&subject_type=tnin", hdr)
    end
  end
  function request()
    i = i % #reqs + 1
    return reqs[i]
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("p50_us=%d p99_us=%d requests=%d errors=%d non2xx=%d\n",
    latency:percentile(50), latency:percentile(99), summary.requests,
    e.connect + e.read + e.write + e.timeout, e.status))
end
