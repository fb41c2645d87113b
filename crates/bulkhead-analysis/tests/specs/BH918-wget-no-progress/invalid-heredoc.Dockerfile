FROM debian:bookworm-slim
RUN <<EOF
wget https://example.com/a.tar.gz
EOF
