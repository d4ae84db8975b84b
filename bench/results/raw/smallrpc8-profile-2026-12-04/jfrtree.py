import json, sys, collections
d=json.load(open(sys.argv[1])); root=sys.argv[2]; depth=int(sys.argv[3])
ev=d['recording']['events']; n=0; c=collections.Counter()
for e in ev:
    fr=e['values']['stackTrace']['frames']
    if not fr: continue
    n+=1
    names=[f['method']['type']['name'].split('/')[-1]+'.'+f['method']['name']+':'+str(f.get('lineNumber','')) for f in fr]
    idx=[i for i,x in enumerate(names) if root in x]
    if not idx: continue
    i=idx[-1]
    c[' > '.join(names[max(0,i-depth):i+1][::-1])]+=1
tot=sum(c.values()); print("root incl", 100*tot/n)
for k,v in c.most_common(40): print(f"{100*v/n:5.1f}% {k}")
