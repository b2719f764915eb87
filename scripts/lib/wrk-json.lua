-- wrk's figures as one JSON line (scripts/lib/bench-common.sh, wrk_json): requests, req/s, latency
-- p50/p99 in ms (wrk's own histogram, as `--latency` prints it), and the non-2xx/3xx and socket errors.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"rps":%.2f,"p50_ms":%.3f,"p99_ms":%.3f,"non2xx":%d,"socket_errors":%d}\n',
    summary.requests, summary.requests / summary.duration * 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.status, e.connect + e.read + e.write + e.timeout))
end
