FROM debian:bookworm-slim
RUN echo one
RUN <<EOF
echo two
EOF
RUN echo three
RUN echo four
