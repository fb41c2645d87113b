# syntax=docker/dockerfile:1
FROM fedora:40
RUN <<EOF
set -eux
dnf install -y python3
EOF
RUN <<-EOT
	dnf install -y jq
	EOT
