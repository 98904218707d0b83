-- wrk script for benchmarks/load.py: each request takes the next path from the file named
-- after `--` (one path a line), each thread starting at its own place in the list, and every
-- answer that is neither 2xx nor 3xx is counted by status. `done` prints one line,
-- "wrk-result {json}", that load.py reads.
--
--   wrk -t2 -c16 -d30s --latency -s benchmarks/rotate.lua http://127.0.0.1:8000 -- paths.txt

local threads = {}

function setup(thread)
  thread:set("thread_number", #threads)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if line ~= "" then
      table.insert(paths, line)
    end
  end
  -- Threads spread over the list, so they do not all ask for the same page at once.
  position = (thread_number * 7919) % #paths
  bad = 0
  bad_by_status = {}
end

function request()
  position = position % #paths + 1
  return wrk.format("GET", paths[position])
end

function response(status, headers, body)
  if status < 200 or status >= 400 then
    bad = bad + 1
    local key = tostring(status)
    bad_by_status[key] = (bad_by_status[key] or 0) + 1
  end
end

function done(summary, latency, requests)
  local bad_total = 0
  local by_status = {}
  for _, thread in ipairs(threads) do
    bad_total = bad_total + thread:get("bad")
    for status, count in pairs(thread:get("bad_by_status")) do
      by_status[status] = (by_status[status] or 0) + count
    end
  end
  local statuses = {}
  for status, count in pairs(by_status) do
    table.insert(statuses, string.format('"%s": %d', status, count))
  end
  local errors = summary.errors
  io.write(string.format(
    'wrk-result {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
      '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d, ' ..
      '"bad": %d, "bad_by_status": {%s}, ' ..
      '"p50_us": %d, "p90_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    bad_total, table.concat(statuses, ", "),
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean
  ))
end
