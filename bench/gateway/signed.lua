-- wrk script of the gateway benchmark (bench/gateway/run.sh).
--
--   wrk -t T -c C -d D --latency -s signed.lua http://127.0.0.1:PORT -- FILE T [PATH]
--
-- FILE holds pre-signed requests, one per line, as bench/gateway/sign writes
-- them: "path?query<TAB>Header: value<TAB>Header: value...". The gateway
-- refuses a replayed nonce, so no line may be sent twice: setup() numbers
-- the threads, and thread k takes lines k, k+T, k+2T, ... (disjoint slices)
-- and serves its slice in order. A thread that runs out counts the overrun
-- as "exhausted" and sends its last request again, which the gateway refuses
-- as a replay, so the overrun also shows as non-2xx: it is never hidden.
-- FILE "-" sends a fixed unsigned GET of PATH (the anchors: upstream, nginx,
-- Caddy), through the same response() hook, so every target pays the same
-- client-side cost.
--
-- Loading a slice takes a moment, and wrk starts thread 0 before it runs
-- thread 1's init() and starts its clock only after the last init(); so the
-- last thread to load writes FILE..".go", and every thread's first request()
-- waits (bounded) for it. No request is sent before the clock starts. (The
-- one call of request() that wrk makes from its main thread, to check the
-- request parses, does not wait and sends nothing.)
--
-- done() prints a line "XTBENCH key=value ..." that run.sh reads.

local ffi = require("ffi")
ffi.cdef [[int usleep(unsigned int usec);]]

local threads = {}
local nthreads_setup = 0

function setup(thread)
   thread:set("id", nthreads_setup)
   nthreads_setup = nthreads_setup + 1
   table.insert(threads, thread)
end

-- Per-thread state (globals, so that done() can read them with thread:get).
loaded, used, exhausted, non2xx, statuses, samples = 0, 0, 0, 0, "", ""
local reqs, fixed, marker, waited, verified = {}, nil, nil, false, false
local status_count, nsamples = {}, 0

local function split_line(line)
   local target, rest = line:match("^([^\t]+)\t?(.*)$")
   local headers = {}
   for field in rest:gmatch("[^\t]+") do
      local name, value = field:match("^([^:]+):%s*(.*)$")
      if name then headers[name] = value end
   end
   return target, headers
end

function init(args)
   local file, nthreads, path = args[1], tonumber(args[2] or "1"), args[3]
   if file == nil or file == "-" then
      fixed = wrk.format("GET", path or "/")
      return
   end
   local k = 0
   for line in io.lines(file) do
      if k % nthreads == id and #line > 0 then
         local target, headers = split_line(line)
         loaded = loaded + 1
         reqs[loaded] = wrk.format("GET", target, headers)
      end
      k = k + 1
   end
   marker = file .. ".go"
   if id == nthreads - 1 then
      local f = assert(io.open(marker, "w"))
      f:write("go\n")
      f:close()
   end
end

local function wait_for_start()
   waited = true
   for _ = 1, 120000 do -- at most ~120 s
      local f = io.open(marker, "r")
      if f then
         f:close()
         return
      end
      ffi.C.usleep(1000)
   end
   io.stderr:write("signed.lua: the other threads never finished loading\n")
end

function request()
   if fixed then return fixed end
   if id == 0 and not verified then
      -- wrk's main thread calls thread 0's request() once, right after its
      -- init(), only to check that the request parses: it is never sent, so
      -- it neither waits nor uses up a line.
      verified = true
      return reqs[1] or wrk.format("GET", "/")
   end
   if not waited then wait_for_start() end
   if used < loaded then
      used = used + 1
      return reqs[used]
   end
   exhausted = exhausted + 1
   return reqs[loaded]
end

function response(status, headers, body)
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
      status_count[status] = (status_count[status] or 0) + 1
      local parts = {}
      for s, n in pairs(status_count) do parts[#parts + 1] = s .. ":" .. n end
      statuses = table.concat(parts, ",")
      if nsamples < 3 then
         nsamples = nsamples + 1
         samples = samples .. "  [" .. status .. "] " .. (body or ""):sub(1, 300):gsub("%s+", " ") .. "\n"
      end
   end
end

function done(summary, latency, requests)
   local tot = { loaded = 0, used = 0, exhausted = 0, non2xx = 0 }
   local st, smp = {}, ""
   for _, t in ipairs(threads) do
      for k, _ in pairs(tot) do tot[k] = tot[k] + (t:get(k) or 0) end
      local s = t:get("statuses") or ""
      for code, n in s:gmatch("(%d+):(%d+)") do st[code] = (st[code] or 0) + tonumber(n) end
      smp = smp .. (t:get("samples") or "")
   end
   local parts = {}
   for code, n in pairs(st) do parts[#parts + 1] = code .. ":" .. n end
   local e = summary.errors
   if tot.non2xx > 0 then
      io.write(string.format("NON-2XX RESPONSES: %d (%s); first bodies:\n%s", tot.non2xx, table.concat(parts, ","), smp))
   end
   if tot.exhausted > 0 then
      io.write(string.format("PRE-SIGNED REQUESTS EXHAUSTED: %d requests sent past the %d loaded\n", tot.exhausted, tot.loaded))
   end
   io.write(string.format(
      "XTBENCH requests=%d duration_us=%d rps=%.1f mean_us=%.1f p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d " ..
      "non2xx=%d statuses=%s exhausted=%d loaded=%d used=%d err_connect=%d err_read=%d err_write=%d err_timeout=%d err_status=%d\n",
      summary.requests, summary.duration, summary.requests / (summary.duration / 1e6), latency.mean,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max,
      tot.non2xx, (#parts > 0 and table.concat(parts, ",") or "-"), tot.exhausted, tot.loaded, tot.used,
      e.connect, e.read, e.write, e.timeout, e.status))
end
