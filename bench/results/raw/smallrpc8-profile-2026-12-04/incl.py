import sys, collections, re
f=sys.argv[1]; pat=sys.argv[2] if len(sys.argv)>2 else 'dev\\.rxrpc|reactor|netty'
inc=collections.Counter(); tot=0
for line in open(f):
    s,c=line.rsplit(' ',1); c=int(c); tot+=c
    seen=set()
    for x in s.split(';'):
        x=re.sub(r'\(.*\)','',x).split(' ')[-1]
        if re.search(pat,x) and x not in seen: seen.add(x); inc[x]+=c
for k,v in inc.most_common(int(sys.argv[3]) if len(sys.argv)>3 else 60): print(f"{100*v/tot:6.2f}% {k}")
