import json,sys,statistics,collections
rows=collections.defaultdict(dict)
for l in open(sys.argv[1]):
    if l.startswith('#'): print(l.strip()); continue
    d=json.loads(l); d['r']['cpuTicks']=d.get('cpuTicks',0); rows[d['c']].setdefault(d['pair'],{})[d['rep']]=d['r']
for c in sorted(rows):
    print(f"c={c}")
    cc=rows[c].get('C->C',{})
    for p in ['C->C','A','B']:
        v=rows[c].get(p,{})
        if not v: continue
        cps=[v[r]['callsPerSec'] for r in sorted(v)]
        med=sorted(v.values(),key=lambda x:x['callsPerSec'])[len(v)//2]
        rs=[v[r]['callsPerSec']/cc[r]['callsPerSec'] for r in sorted(v) if r in cc]
        cpu=[v[r]['cpuTicks']*10000/max(1,v[r]['calls']) for r in sorted(v)]
        print(f"  {p:5} server CPU us/call median {statistics.median(cpu):6.1f} {[round(x,1) for x in cpu]}")
        print(f"  {p:5} median {statistics.median(cps):8.0f} calls/s  p50 {med['p50Us']:7.0f}us p99 {med['p99Us']:8.0f}us max {max(x['maxUs'] for x in v.values()):10.0f}us errors {sum(x['errors'] for x in v.values())}  ratio-to-C median {statistics.median(rs):.2f} {[round(x,2) for x in rs]}  all {[round(x) for x in cps]}")
