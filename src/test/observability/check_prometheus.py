# PromQL over a real Prometheus' HTTP API, after it scraped the jar under load (load.py).
#   check_prometheus.py PROMETHEUS load              calls per method and status, error ratio, p99, calls in flight
#   check_prometheus.py PROMETHEUS dashboard FILE    every panel query of a Grafana dashboard returns series
#   check_prometheus.py PROMETHEUS rules             every alert rule loaded and evaluated without error
#   check_prometheus.py PROMETHEUS scraped-after T   exits 0 once every target's last scrape began after T (epoch s)
import datetime
import json
import re
import math
import sys
import urllib.parse
import urllib.request

prometheus, what = sys.argv[1], sys.argv[2]
WINDOW = "1m"   # the load ran within the last minute; Grafana's $__rate_interval stands for this here
CALLS = "grpc_server_processing_duration_seconds_count"


def api(path, **params):
    url = f"{prometheus}/api/v1/{path}?{urllib.parse.urlencode(params)}"
    with urllib.request.urlopen(url, timeout=30) as response:
        body = json.load(response)
    assert body["status"] == "success", body
    return body["data"]


def query(promql):
    return {tuple(sorted(r["metric"].items())): float(r["value"][1]) for r in api("query", query=promql)["result"]}


def by(result, *labels):
    return {tuple(dict(k).get(label) for label in labels): v for k, v in result.items()}


failures = []


def check(name, ok, detail):
    print(f"{'PASS' if ok else 'FAIL'} {name}: {detail}")
    if not ok:
        failures.append(name)


if what == "scraped-after":
    # Prometheus reports a scrape (lastScrape, its start) once its samples are stored.
    after = float(sys.argv[3])
    scrapes = [re.sub(r"(\.\d{6})\d*", r"\1", target["lastScrape"]).replace("Z", "+00:00")
               for target in api("targets", state="active")["activeTargets"]]
    sys.exit(0 if scrapes and all(datetime.datetime.fromisoformat(t).timestamp() > after for t in scrapes) else 1)
elif what == "load":
    rates = by(query(f"sum by (method, statusCode) (rate({CALLS}[{WINDOW}]))"), "method", "statusCode")
    for series in [("SayHello", "OK"), ("SayHello", "INVALID_ARGUMENT"), ("ServerStream", "OK"),
                   ("ClientStream", "OK"), ("Chat", "OK")]:
        check(f"calls/s {series}", rates.get(series, 0) > 0, f"{rates.get(series, 0):.2f}")
    errors = by(query(f'(sum by (method) (rate({CALLS}{{statusCode!~"OK|CANCELLED"}}[{WINDOW}]))'
                      f' or sum by (method) (rate({CALLS}[{WINDOW}])) * 0)'
                      f' / sum by (method) (rate({CALLS}[{WINDOW}]))'), "method")
    check("error ratio SayHello (every other call is invalid)", 0.2 < errors.get(("SayHello",), 0) < 0.8,
          f"{errors.get(('SayHello',), 0):.2f}")
    check("error ratio Chat", errors.get(("Chat",)) == 0, f"{errors.get(('Chat',))}")
    p99 = by(query(f"histogram_quantile(0.99, sum by (method, le) "
                   f"(rate(grpc_server_processing_duration_seconds_bucket[{WINDOW}])))"), "method")
    for method in ["SayHello", "ServerStream", "ClientStream", "Chat"]:
        value = p99.get((method,), math.nan)
        check(f"p99 {method}", 0 < value < math.inf, f"{value:.3f} s")
    # The paced ServerStream takes seconds: two load threads keep one open at every scrape.
    in_flight = query(f"max_over_time(sum(grpc_server_calls_active)[{WINDOW}:1s])")
    check("calls in flight during the load", next(iter(in_flight.values()), 0) >= 2, f"{in_flight}")
elif what == "dashboard":
    dashboard = json.load(open(sys.argv[3]))
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            promql = target["expr"].replace("$__rate_interval", WINDOW)
            result = query(promql)
            check(f"panel '{panel['title']}' {target.get('refId', '')}", len(result) > 0,
                  f"{len(result)} series from {promql}")
elif what == "rules":
    groups = api("rules")["groups"]
    rules = [r for g in groups for r in g["rules"]]
    check("alert rules loaded", len(rules) >= 5, f"{[r['name'] for r in rules]}")
    for r in rules:
        check(f"rule {r['name']} evaluates", r.get("health") == "ok", r.get("lastError") or r.get("health"))
sys.exit(1 if failures else 0)
