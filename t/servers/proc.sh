# proc.sh: what the Mongo server scripts share (sourced by jongodb.sh
# and congodb.sh).

# write_env STATE NAME PID URI: STATE/NAME.env (atomically) with
# NAME_PID (upper case) and MONGODB_URI = URI plus finite timeouts.
write_env() {
	_upper=$(echo "$2" | tr a-z A-Z)
	cat >"$1/$2.env.tmp" <<ENV
${_upper}_PID=$3
MONGODB_URI='$4/?serverSelectionTimeoutMS=5000&connectTimeoutMS=2000&socketTimeoutMS=60000'
export MONGODB_URI
ENV
	mv "$1/$2.env.tmp" "$1/$2.env"
}

# stop_env STATE NAME: stop the server STATE/NAME.env names (TERM, up to
# 5 s, then KILL) and remove the file. Nothing to do without the file.
stop_env() {
	[ -f "$1/$2.env" ] || return 0
	_upper=$(echo "$2" | tr a-z A-Z)
	_pid=$(sed -n "s/^${_upper}_PID=//p" "$1/$2.env")
	if [ -n "$_pid" ]; then
		kill "$_pid" 2>/dev/null || true
		_i=0
		while kill -0 "$_pid" 2>/dev/null && [ $_i -lt 50 ]; do
			sleep 0.1
			_i=$((_i + 1))
		done
		kill -9 "$_pid" 2>/dev/null || true
	fi
	rm -f "$1/$2.env"
}
