FROM ubuntu:24.04
RUN wget https://example.com/a && \
    rm -f a
