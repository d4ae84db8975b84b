import sys, re, collections
# perf script output -> collapsed stacks (root;...;leaf count)
stacks=collections.Counter(); cur=[]; 
def flush():
    if cur: stacks[';'.join(reversed(cur))]+=1
for line in open(sys.argv[1], errors='replace'):
    line=line.rstrip('\n')
    if not line.strip():
        flush(); cur=[]; continue
    if line[0] not in ' \t':
        cur=[]; continue
    parts=line.strip().split(None,1)
    if len(parts)<2: continue
    sym=parts[1]
    sym=re.sub(r'\s+\(\S+\)$','',sym)
    sym=re.sub(r'\+0x[0-9a-f]+$','',sym)
    cur.append(sym)
flush()
with open(sys.argv[2],'w') as f:
    for s,c in stacks.items(): f.write(f"{s} {c}\n")
