// The scenario `lbsim init` writes: small, realistic, and commented on every section, so a new user can read
// what each field means and whose default it is before changing anything. Its description is its own result:
// the expect: lines check each claim, and a test runs it (test/scenario/starter.test.ts). The first line points
// at the schema where the README says to put it (`lbsim schema > lbsim.schema.json` beside the scenario).
export const STARTER_SCENARIO = `# yaml-language-server: $schema=./lbsim.schema.json
# An lbsim scenario. Durations take a unit (750us, 250ms, 5s, 2m, 1h), rates end in /s, shares are 30% or 0.3.
# Anything left out takes the default noted beside it; \`lbsim schema\` prints every field.

name: starter                     # used in report file names
title: One backend hangs behind a TCP health check
description: >
  Ten backends behind one L7 balancer, round robin. At 60s app-3 hangs for a minute. Its kernel still accepts
  connections until the accept backlog (acceptCount, 600 here) is full, so a TCP check keeps it in rotation for the first twenty-odd
  seconds of the hang, while every tenth request waits for the 5 s client timeout (p99 near 5 s); then the
  backlog fills and even TCP checks fail. The "http" variant checks /healthz, which a hung application cannot
  answer, and takes app-3 out within about six seconds (fall 3 x inter 2s): less than half as many failed
  requests on app-3, and a p99 more than ten times lower.
seed: 1                           # one seed in, a named random stream per component out (default 1)
duration: 3m                      # simulated time; clients stop sending at the end (default 60s)
warmup: 10s                       # requests sent before this are not measured (default 0s)

network:                          # latency distributions: { constant | uniform | exponential | lognormal | normal | gamma | weibull | bounded-pareto | empirical }
  clientToLb: { constant: 1ms }      # one-way latency, client to balancer (default 1ms)
  lbToBackend: { constant: 250us }   # one-way latency, balancer to backend, same zone (default 250us)

clients:                          # groups of clients: how many, what load, which requests, timeouts, retries
  - name: web
    count: 200                    # distinct client addresses (default 100)
    load:
      open: { poisson: 300/s }    # open loop: arrivals whatever the answers do; or closed: { think: <distribution> }
    classes:                      # request mix, by relative weight (default 1)
      - name: read
        weight: 9
        demand: { lognormal: { mean: 20ms, p99: 120ms } }   # service time on a nominal backend
      - name: write
        weight: 1
        method: POST              # idempotent follows the method (RFC 9110) unless given
        demand: { exponential: { mean: 40ms } }
    keepalive: true               # HTTP/1.1 persistent connections (default true)
    timeout: 5s                   # the client gives up after this (default 30s)
    retry:                        # default none; these are the AWS SDK standard-mode values
      maxRetries: 2
      backoff: { base: 100ms, cap: 20s, multiplier: 2, jitter: full }

lb:                               # the balancer tier: nodes, algorithm, health checks, timeouts, retries, queues
  nodes: 1                        # a count (lb-1..lb-n) or a list of names (default 1)
  mode: l7                        # l7 picks per request, l4 per connection (default l7)
  algorithm: round-robin          # or least-connections (it steers around the hang by itself: try it), or { peak-ewma: { decayTime: 10s } }
  health:
    preset: haproxy               # haproxy | nginx | nginx-plus | envoy | aws-alb | aws-nlb | kubernetes (default haproxy)
    probe: tcp                    # tcp | http | deep; haproxy's plain \`check\` is tcp
    interval: 2s                  # HAProxy \`inter\` 2000ms; \`timeout check\` and \`fastinter\` follow it
    rise: 2                       # HAProxy \`rise\` 2: passes to mark up
    fall: 3                       # HAProxy \`fall\` 3: failures to mark down
  upstreamTimeout: 10s            # NGINX proxy_read_timeout (default 60s)
  retries:
    tries: 2                      # tries per request, the first included (default 2, Envoy num_retries 1)
    on: [error, timeout]          # NGINX proxy_next_upstream default

backends:                         # groups of servers; defaults describe a small JVM service
  - name: app
    count: 10                     # app-1..app-10 at 10.0.0.1..10.0.0.10:8080
    workers: 8                    # requests served at once (default 8)
    queueLimit: 100               # the application's queue; full means 503 (default 100)
    acceptCount: 600              # the listen backlog, Tomcat acceptCount (default 100; the kernel caps it at somaxconn 4096)
    gc:                           # JVM pauses: a young GC whenever the work fills the heap (every 10s with all workers busy), and its length
      - { name: young, every: { exponential: { mean: 10s } }, pause: { lognormal: { mean: 15ms, p99: 80ms } } }

timeline:                         # changes during the run, by time
  - at: 60s
    hang: {}                      # crash | hang | slow | fast-5xx | dependency-down/up | recover | restart | add | remove | deploy | traffic
    targets: app-3                # names, groups, ranges like app-1..app-3; or count: N for the first N
  - at: 2m
    recover: {}
    targets: app-3

variants:                         # each variant changes the document by dotted path, then runs as a whole
  - name: tcp
    set: { lb.health.probe: tcp }
  - name: http
    description: the check asks the application, so a hung backend fails it
    set: { lb.health.probe: http }

expect:                           # checked after the runs: the description's claims
  - { metric: backends.app-3.healthTransitions, above: 1 }      # both variants mark it down and back up
  - { variant: http, metric: backends.app-3.failed, below: { variant: tcp, factor: 0.5 } }
  - { variant: tcp, metric: latencyMs.p99, above: 4s }
  - { variant: http, metric: latencyMs.p99, below: { variant: tcp, factor: 0.1 } }
`;
