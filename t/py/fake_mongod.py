# fake_mongod.py SCENARIO LOGFILE [N]: a scripted MongoDB (mockupdb) that
# serves a collection of N documents {_id: i, v: 2i, role: ...}, i = 1..N,
# honouring a filter of the form {_id: {$gt: X}} (also inside $and), limit
# and batchSize, and logs every find command as a JSON line to LOGFILE.
# Prints PORT=<n>, serves until SIGTERM. Scenarios:
#   ok        no faults
#   hangup    the 2nd getMore closes the connection (once)
#   stepdown  the 2nd getMore fails with 11602 InterruptedDueToReplStateChange
#   always    every getMore, and every find after the first, closes the
#             connection (no progress: the client must give up)
#   error     find fails with code 2 (BadValue)
import json
import sys
import time

from mockupdb import MockupDB

scenario, logfile = sys.argv[1], sys.argv[2]
N = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
hello = {'ismaster': True, 'isWritablePrimary': True, 'minWireVersion': 0,
         'maxWireVersion': 13, 'maxBsonObjectSize': 16777216,
         'maxMessageSizeBytes': 48000000, 'maxWriteBatchSize': 100000}
roles = ['admin', 'editor', 'viewer']
state = {'getmores': 0, 'cursors': {}, 'next_id': 100}


def doc(i):
    return {'_id': i, 'v': 2 * i, 'role': roles[i % 3]}


def lower_bound(flt):
    if '_id' in flt and isinstance(flt['_id'], dict) and '$gt' in flt['_id']:
        return flt['_id']['$gt']
    for sub in flt.get('$and', []):
        b = lower_bound(sub)
        if b is not None:
            return b
    return None


def batch(cid, size):
    cur = state['cursors'][cid]
    out = []
    while cur['pos'] <= N and len(out) < size and cur['left'] > 0:
        out.append(doc(cur['pos']))
        cur['pos'] += 1
        cur['left'] -= 1
    done = cur['pos'] > N or cur['left'] <= 0
    return out, (0 if done else cid)


def on_find(r):
    with open(logfile, 'a') as f:
        f.write(json.dumps({k: v for k, v in r.doc.items()
                            if k in ('find', 'filter', 'projection', 'sort',
                                     'limit', 'batchSize')},
                           default=str) + '\n')
    state['finds'] = state.get('finds', 0) + 1
    if scenario == 'error':
        return r.command_err(code=2, errmsg='BadValue: scripted failure')
    if scenario == 'always' and state['finds'] > 1:
        return r.hangup()
    lb = lower_bound(r.doc.get('filter', {}))
    start = 1 if lb is None else int(lb) + 1
    limit = int(r.doc.get('limit', 0)) or (1 << 60)
    state['next_id'] += 1
    cid = state['next_id']
    state['cursors'][cid] = {'pos': start, 'left': limit,
                             'size': int(r.doc.get('batchSize', 101))}
    docs, rid = batch(cid, state['cursors'][cid]['size'])
    return r.ok(cursor={'id': rid, 'ns': 'db.c', 'firstBatch': docs})


def on_getmore(r):
    state['getmores'] += 1
    n = state['getmores']
    if scenario == 'always' or (scenario == 'hangup' and n == 2):
        return r.hangup()
    if scenario == 'stepdown' and n == 2:
        return r.command_err(code=11602,
                             errmsg='operation was interrupted')
    cid = int(r.doc['getMore'])
    if cid not in state['cursors']:
        return r.command_err(code=43, errmsg='cursor not found')
    size = int(r.doc.get('batchSize', state['cursors'][cid]['size']))
    docs, rid = batch(cid, size)
    return r.ok(cursor={'id': rid, 'ns': 'db.c', 'nextBatch': docs})


handlers = {
    'find': on_find,
    'getmore': on_getmore,
    'killcursors': lambda r: r.ok(cursorsKilled=[]),
    'endsessions': lambda r: r.ok(),
}
srv = MockupDB(auto_ismaster=hello)
srv.autoresponds('hello', hello)
srv.autoresponds('ping')
srv.autoresponds(lambda r: handlers.get((r.command_name or '').lower(),
                                        lambda r: None)(r))
srv.append_responder(lambda r: r.command_err(code=59,
                                             errmsg='no such command'))
print('PORT=%d' % srv.run(), flush=True)
while True:
    time.sleep(3600)
