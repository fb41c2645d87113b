FROM debian:bookworm-slim
RUN <<EOF
apt update
apt install -y curl
apt search nginx
EOF
