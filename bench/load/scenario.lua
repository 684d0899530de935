-- One benchmark scenario for wrk, configured by bench/run.py through the environment:
--   BENCH_DATA     file of targets, one a line: a path, or for saves
--                  "path<TAB>version<TAB>form fields ending in body=..."
--   BENCH_MODE     "get" (a random path per request) or "save" (POST an edit form)
--   BENCH_COOKIE   the logged-in session and CSRF cookies
--   BENCH_HEADERS  extra request headers, "Name: value" joined by "|"
--   BENCH_REPORT   where done() writes the figures as JSON
-- Saves need one connection per thread (-t = -c): each thread edits its own pages and
-- knows their current version, so every save is from the latest version, as a user's is.

local mode = os.getenv("BENCH_MODE") or "get"
local counter = 1
local threads = {}

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local headers = {}
local targets = {}
local pending = nil
local saves = 0
local run = 0

local function split(line, sep)
  local parts = {}
  for part in string.gmatch(line, "([^" .. sep .. "]+)") do
    table.insert(parts, part)
  end
  return parts
end

function init(args)
  headers["Cookie"] = os.getenv("BENCH_COOKIE")
  for _, header in ipairs(split(os.getenv("BENCH_HEADERS") or "", "|")) do
    local name, value = string.match(header, "^([^:]+):%s*(.*)$")
    if name then headers[name] = value end
  end
  local total = tonumber(os.getenv("BENCH_THREADS") or "1")
  local index = 0
  for line in io.lines(os.getenv("BENCH_DATA")) do
    if line ~= "" then
      if mode == "save" then
        -- each thread takes every total-th page, so no two threads edit one page
        if index % total == id - 1 then
          local path, version, form = string.match(line, "^([^\t]+)\t(%d+)\t(.*)$")
          table.insert(targets, { path = path, version = tonumber(version), form = form })
        end
      else
        table.insert(targets, line)
      end
      index = index + 1
    end
  end
  if #targets == 0 then error("no targets for thread " .. id) end
  math.randomseed(os.time() + id * 7919)
  run = os.time()
  if mode == "save" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
end

function request()
  local choice = math.random(#targets)
  if mode ~= "save" then
    return wrk.format("GET", targets[choice], headers)
  end
  pending = targets[choice]
  saves = saves + 1
  -- unique across runs too: a note repeated from the warm-up would change nothing, save
  -- no version, and leave this thread's idea of the page's version one ahead
  local note = "%0A%0ABench+save+" .. run .. "-" .. id .. "-" .. saves
  local body = pending.form .. note .. "&base_version=" .. pending.version
  return wrk.format("POST", pending.path, headers, body)
end

-- Saves answered with an error, by status, for the report (a global, so done() can read
-- each thread's with thread:get).
refused = {}

local function track(status, headers, body)
  if pending == nil then return end
  if status == 302 then
    pending.version = pending.version + 1
  else
    -- a refused save shows the form again with the version it would need
    local version = string.match(body or "", 'name="base_version" value="(%d+)"')
    if version then pending.version = tonumber(version) end
  end
  pending = nil
end

-- Only saves read responses: a response() makes wrk parse every body, which would slow
-- the load tool itself on the cheap scenarios.
if mode == "save" then
  function response(status, headers, body)
    if status >= 400 then refused[status] = (refused[status] or 0) + 1 end
    track(status, headers, body)
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  local report = string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p95_us": %d, '
      .. '"p99_us": %d, "max_us": %d, "mean_us": %.1f, "errors": {"connect": %d, '
      .. '"read": %d, "write": %d, "status": %d, "timeout": %d}}',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout
  )
  local statuses = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("refused") or {}) do
      statuses[status] = (statuses[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(statuses) do
    table.insert(parts, string.format('"%d": %d', status, count))
  end
  report = report:sub(1, -2) .. ', "statuses": {' .. table.concat(parts, ", ") .. '}}'
  local out = assert(io.open(os.getenv("BENCH_REPORT"), "w"))
  out:write(report)
  out:close()
end
