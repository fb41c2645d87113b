FROM alpine:3.20
RUN <<EOF
set -e
wget -qO- https://example.com/install.sh | sh
EOF
