import json,statistics,collections,sys
d=collections.defaultdict(list)
for l in open(sys.argv[1]):
    x=json.loads(l); r=x['r']; d[(x['t'],x['client'])].append((r['callsPerSec'],r['p50Us'],r['p99Us']))
print("| calls in flight | client | calls/s (median; each rep) | p50 µs | p99 µs | vs C client |")
print("|---|---|---|---|---|---|")
for t in (1,8,64):
    c=statistics.median(v[0] for v in d[(t,'C')])
    for k in ('C','ours-w1','ours-w10'):
        v=d[(t,k)]
        m=statistics.median(a[0] for a in v)
        print(f"| {t} | {k} | {m:,.0f} ({', '.join(f'{a[0]:,.0f}' for a in v)}) | {statistics.median(a[1] for a in v):.0f} | {statistics.median(a[2] for a in v):.0f} | {m/c:.2f}x |")
