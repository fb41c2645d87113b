from alpine:3.20
copy run.sh /usr/local/bin/run
entrypoint exec /usr/local/bin/run --verbose
