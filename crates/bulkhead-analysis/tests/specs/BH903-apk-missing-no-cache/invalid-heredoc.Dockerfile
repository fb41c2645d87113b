FROM alpine:3.20
RUN <<EOF
set -eux
apk add --update curl
apk info curl
EOF
RUN <<-EOT
	apk add git
	EOT
