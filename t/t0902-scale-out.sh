#!/bin/bash
# doc/scale-out.md recipes, as far as this machine allows: xargs -P over
# s3put and pqmeta against Swift, and the Kubernetes manifest through a
# YAML parser with the fields an Indexed Job needs.
. "$(dirname "$0")/lib.sh"
server_up swift
s3_bucket_new
export AWS_ENDPOINT_URL=$S3_ENDPOINT

test_expect_success 'xargs -P 4: every file uploaded, ETags as sum8m says' '
	mkdir lob
	for i in 1 2 3 4 5 6; do mkfile lob/f$i.parquet $((i * 100000)); done
	find lob -name "*.parquet" -print0 | xargs -0 -P 4 -I{} sh -c \
	    "s3put -q -f \"\$1\" \"s3://$BUCKET/lob/\$(basename \"\$1\")\"" _ {} \
	    >uploaded.txt
	assert_eq 6 "$(wc -l <uploaded.txt)"
	for i in 1 2 3 4 5 6; do
		e=$(sum8m -a etag lob/f$i.parquet | cut -d" " -f1)
		grep -q "^$e  $((i * 100000))  .*s3://$BUCKET/lob/f$i.parquet\$" \
		    uploaded.txt
	done
'

test_expect_success 'xargs over s3ls: pqmeta row counts of a prefix' '
	for f in "$DATA"/parquet/alltypes_plain.parquet \
	    "$DATA"/parquet/alltypes_dictionary.parquet; do
		s3put -q -f "$f" "s3://$BUCKET/pq/$(basename "$f")" >/dev/null
	done
	s3ls -r s3://$BUCKET/pq/ | grep "\.parquet\$" |
	    xargs -P 2 -n 1 pqmeta --rows | grep -v total | sort >got
	for f in alltypes_dictionary alltypes_plain; do
		echo "$(pqmeta --rows "$DATA/parquet/$f.parquet" | head -n 1 |
		    cut -d" " -f1)  s3://$BUCKET/pq/$f.parquet"
	done | sort >want
	assert_files_eq want got
'

test_expect_success 'Kubernetes Indexed Job manifest is valid YAML with the needed fields' '
	python3 - "$ROOT/examples/k8s/w2-indexed-job.yaml" <<PY
import sys, yaml
j = yaml.safe_load(open(sys.argv[1]))
assert j["apiVersion"] == "batch/v1" and j["kind"] == "Job"
s = j["spec"]
assert s["completionMode"] == "Indexed"
assert isinstance(s["completions"], int) and s["completions"] > 0
assert 0 < s["parallelism"] <= s["completions"]
pod = s["template"]["spec"]
assert pod["restartPolicy"] in ("Never", "OnFailure")
c = pod["containers"][0]
script = c["args"][0]
for tool in ("mongodump-arrow", "sum8m -t", "s3put", "s3rm", "JOB_COMPLETION_INDEX"):
    assert tool in script, tool
assert "pipefail" in " ".join(c["command"])
names = {e["name"] for e in c["env"]}
assert {"BUCKET", "DB", "MONGODB_URI"} <= names
PY
'

test_done
