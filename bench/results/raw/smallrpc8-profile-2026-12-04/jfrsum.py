import json, sys, collections
d=json.load(open(sys.argv[1]))
ev=d['recording']['events']
selfc=collections.Counter(); inc=collections.Counter(); n=0
for e in ev:
    fr=e['values']['stackTrace']['frames']
    if not fr: continue
    n+=1
    names=[f['method']['type']['name'].split('.')[-1]+'.'+f['method']['name'] for f in fr]
    selfc[names[0]]+=1
    for x in set(names): inc[x]+=1
print("samples",n)
print("--- self"); [print(f"{100*v/n:5.1f}% {k}") for k,v in selfc.most_common(int(sys.argv[2]))]
print("--- inclusive"); [print(f"{100*v/n:5.1f}% {k}") for k,v in inc.most_common(int(sys.argv[3]))]
