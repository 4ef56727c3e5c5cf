#!/usr/bin/python3
# mockupdb_mload.py SCENARIO LOGFILE: a scripted fake mongod for the
# mongoload fault tests (Debian python3-mockupdb; run with /usr/bin/python3).
# Prints PORT=<n> and serves until SIGTERM. Every command is logged to
# LOGFILE as one JSON line {"cmd", "arg", "n", "doc"}; inserted _ids are
# kept per collection so an _id lookup (find with $in) sees what a
# failed attempt really applied.
#
# Scenarios: ok, writeerror (row 1 of each insert: E11000), notprimary
# (first insert: 10107), hangup_applied (first insert applied, then the
# connection closes), hangup_half (first half applied, then close),
# partial (first insert applied, half a reply, then close), slow
# (first insert applied, reply after 2.5 s), short (nInserted one
# less than sent), wcerror (writeConcernError), w0 (unacknowledged), and
# for --replace: replace_ok, replace_renamefail, replace_dropfail,
# replace_short.
import json
import socket
import sys
import time

from bson import json_util
from mockupdb import MockupDB, OP_MSG_FLAGS, OpMsgReply

scenario = sys.argv[1]
log = open(sys.argv[2], 'a')
hello = {'ismaster': True, 'isWritablePrimary': True, 'minWireVersion': 0,
         'maxWireVersion': 13, 'maxBsonObjectSize': 16777216,
         'maxMessageSizeBytes': 48000000, 'maxWriteBatchSize': 100000}
srv = MockupDB(auto_ismaster=hello)
srv.autoresponds('hello', hello)
srv.autoresponds('ping')
store = {}
state = {'inserts': 0}


def record(r, n=None):
    doc = {k: v for k, v in r.doc.items()
           if k not in ('documents', 'lsid', '$db', '$readPreference')}
    first = next(iter(r.doc.values())) if r.doc else None
    log.write(json.dumps({'cmd': (r.command_name or '').lower(),
                          'arg': first if isinstance(first, str) else None,
                          'n': n, 'doc': json_util.dumps(doc)}) + '\n')
    log.flush()


def key(v):
    return json_util.dumps(v)


def apply(coll, docs):
    s = store.setdefault(coll, [])
    for d in docs:
        s.append(d['_id'])


def on_insert(r):
    coll = r.doc['insert']
    docs = r.doc.get('documents', [])
    n = len(docs)
    record(r, n)
    state['inserts'] += 1
    first = state['inserts'] == 1
    if r.flags & OP_MSG_FLAGS['moreToCome']:
        apply(coll, docs)
        return True
    if scenario == 'writeerror' and n > 1:
        apply(coll, docs[:1] + docs[2:])
        return r.ok(n=n - 1, writeErrors=[{'index': 1, 'code': 11000,
                    'errmsg': 'E11000 duplicate key error'}])
    if scenario == 'notprimary' and first:
        return r.command_err(code=10107, errmsg='not primary')
    if scenario == 'hangup_applied' and first:
        apply(coll, docs)
        return r.hangup()
    if scenario == 'partial' and first:
        apply(coll, docs)
        data = OpMsgReply({'ok': 1, 'n': n}).reply_bytes(r)
        r._client.sendall(data[:len(data) // 2])
        r._client.shutdown(socket.SHUT_RDWR)
        return True
    if scenario == 'hangup_half' and first:
        apply(coll, docs[:n // 2])
        return r.hangup()
    if scenario == 'slow' and first:
        apply(coll, docs)
        time.sleep(2.5)
        try:
            r.ok(n=n)
        except OSError:
            pass
        return True
    apply(coll, docs)
    if scenario in ('short', 'replace_short'):
        return r.ok(n=n - 1)
    if scenario == 'wcerror':
        return r.ok(n=n, writeConcernError={
            'code': 64, 'errmsg': 'waiting for replication timed out'})
    return r.ok(n=n)


def on_find(r):
    record(r)
    coll = r.doc['find']
    want = r.doc.get('filter', {}).get('_id', {}).get('$in', [])
    have = set(key(i) for i in store.get(coll, []))
    found = [{'_id': i} for i in want if key(i) in have]
    return r.ok(cursor={'id': 0, 'ns': 'db.' + coll, 'firstBatch': found})


def on_list_collections(r):
    record(r)
    batch = []
    if scenario.startswith('replace'):
        batch = [{'name': 'tgt', 'type': 'collection',
                  'options': {'validator': {'a': {'$exists': True}}},
                  'info': {'readOnly': False}}]
    return r.ok(cursor={'id': 0, 'ns': 'db.$cmd.listCollections',
                        'firstBatch': batch})


def on_list_indexes(r):
    record(r)
    return r.ok(cursor={'id': 0, 'ns': 'db.' + r.doc['listIndexes'],
                        'firstBatch': [
                            {'v': 2, 'key': {'_id': 1}, 'name': '_id_'},
                            {'v': 2, 'key': {'a': 1}, 'name': 'a_1',
                             'unique': True}]})


def on_rename(r):
    record(r)
    if scenario in ('replace_renamefail', 'replace_dropfail'):
        return r.command_err(code=13, errmsg='not authorized to rename')
    return r.ok()


def on_drop(r):
    record(r)
    if scenario == 'replace_dropfail':
        return r.command_err(code=13, errmsg='not authorized to drop')
    return r.ok(ns='db.' + r.doc['drop'], nIndexesWas=1)


def on_other(r):
    record(r)
    return r.ok()


handlers = {
    'insert': on_insert,
    'find': on_find,
    'listcollections': on_list_collections,
    'listindexes': on_list_indexes,
    'renamecollection': on_rename,
    'drop': on_drop,
    'create': on_other,
    'createindexes': on_other,
    'count': lambda r: (record(r), r.ok(n=sum(len(v) for v in
                                             store.values())))[1],
    'endsessions': lambda r: r.ok(),
}
srv.autoresponds(lambda r: handlers.get((r.command_name or '').lower(),
                                        lambda r: None)(r))
srv.append_responder(lambda r: r.command_err(code=59,
                                             errmsg='no such command'))
print('PORT=%d' % srv.run(), flush=True)
while True:
    time.sleep(3600)
