/** How the figures were taken; copied into every result file so it explains itself. */
export const METHOD: readonly string[] = [
  'Every figure is compared with a baseline measured in the same run, in the same interleaved rounds; ratios are the result, absolute numbers describe this machine only.',
  'The load generator (autocannon, programmatic API, one process) runs on the same cores as the servers; nothing is pinned. Where a baseline is faster than one autocannon process can drive, its ratio understates the gap.',
  'Each server runs in its own process, started from its built dist/main.js with default settings: logging at info (to /dev/null), token cache 10,000, nginx worker_processes auto.',
  'HTTP: keep-alive connections; every request is built per token by setupRequest, baselines included, so the client does the same work for every target. req/s counts expected answers only; any other status or socket error fails the run.',
  'Latency: per-request response time from hrtime (autocannon records whole milliseconds), nearest-rank p50/p99 per run, then the median over runs.',
  '1 user: one token on every request. Many users: one pre-signed token per user, rotated per request; both services verified every token once before measuring, so those rows measure a full token cache.',
  'Gateway: two nginx instances rendered by @agentauth/nginx, decision cache off (default) and on (10 s TTL), both with the benchmark-only control server proxying the same route without auth_request; the agent-service verifies the token on all of them.',
  'WebSocket: a handshake is upgrade, 101, the first server message (the agent snapshot; the bare server greeting), then the client drops the socket. Memory: sockets opened and closed once, GC twice in the agent-service, N sockets opened, GC twice; growth divided by N.',
  'Verification: in the bench process, every op awaited (the sync HMAC included), median of interleaved runs.',
  "Replicas: a throw-away PostgreSQL 15 cluster (initdb, Unix socket, fsync off, as in the tests), two agent-service replicas on one database (pool 10), ten agents as in the SQLite stack; nginx with one replica and with both in its agent upstream (decision cache off). Event latency: a socket on the replica running each run and one on the other replica, both in the bench process; each event's arrival is compared on the same clock.",
];
