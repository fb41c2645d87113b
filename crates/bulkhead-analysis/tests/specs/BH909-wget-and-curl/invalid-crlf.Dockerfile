FROM alpine:3.20
RUN curl -fsSLO https://example.com/x && \
    wget -q https://example.com/y
