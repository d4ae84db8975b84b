import json,sys,statistics as st,collections
rows=[json.loads(l) for l in open(sys.argv[1]) if l.startswith('{')]
g=collections.defaultdict(list)
for x in rows: g[(x['c'],x['pair'])].append(x)
for c in sorted({k[0] for k in g}):
    for p in ['C','A','B']:
        xs=g[(c,p)]
        cps=[x['r']['callsPerSec'] for x in xs]; p99=[x['r']['p99Us'] for x in xs]; mx=[x['r']['maxUs'] for x in xs]
        us=[x['cpuTicks']*1e4/x['r']['calls'] for x in xs]
        print(f"c={c:3} {p}: calls/s med {st.median(cps):8.0f} {['%.0f'%v for v in cps]} p99 med {st.median(p99):7.0f}us max {max(mx)/1000:6.1f}ms server us/call {st.median(us):5.1f}")
