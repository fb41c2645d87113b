# syntax=docker/dockerfile:1
FROM ubuntu:24.04
RUN <<EOF
set -eux
apt-get update
apt-get install -y --no-install-recommends curl
EOF
RUN <<-EOT
	apt-get update
	apt-get install -y --no-install-recommends jq
	EOT
RUN <<EOF
apt-get update && apt-get install -y git
exit 0
EOF
