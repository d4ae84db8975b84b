import sys, collections, re
# q.py folded PATTERN [depth]: for stacks containing PATTERN, show caller chains (frames above the match)
f, pat = sys.argv[1], sys.argv[2]; depth=int(sys.argv[3]) if len(sys.argv)>3 else 6
tot=0; hit=collections.Counter(); n=0
for line in open(f):
    s,c=line.rsplit(' ',1); c=int(c); tot+=c
    fr=s.split(';')
    idx=[i for i,x in enumerate(fr) if re.search(pat,x)]
    if not idx: continue
    i=idx[0]; n+=c
    def short(x): 
        x=re.sub(r'\(.*\)','',x); x=x.split(' ')[-1]; return x
    hit[' <- '.join(short(x) for x in reversed(fr[max(0,i-depth):i+1]))]+=c
print(f"{n}/{tot} = {100*n/tot:.2f}% inclusive")
for k,v in hit.most_common(15): print(f"{100*v/tot:6.2f}% {k}")
