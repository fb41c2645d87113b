FROM debian:bookworm-slim
RUN <<EOF
useradd -u 123456 app
EOF
