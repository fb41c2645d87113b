FROM alpine:3.20
RUN <<EOF
set -eux
apk add --update curl
rm -rf /var/cache/apk/*
EOF
RUN <<-EOT
	apk add git
	EOT
