FROM debian:bookworm-slim
RUN <<EOF
cd /usr/src/app && make
EOF
RUN cd /opt && cat <<EOF > /tmp/x
hello
EOF
