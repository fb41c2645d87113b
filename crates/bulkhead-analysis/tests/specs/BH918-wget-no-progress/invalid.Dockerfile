FROM debian:bookworm-slim
RUN wget https://example.com/big.tar.gz \
    # the checksum too
    && wget -O /tmp/sum https://example.com/sum
ONBUILD RUN wget https://example.com/x
FROM alpine:3.20
run wget -O- https://example.com/y | tar -xz
