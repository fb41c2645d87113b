FROM debian:bookworm-slim
RUN wget --progress=dot:giga https://example.com/a && wget -q https://example.com/b
RUN wget -qO- https://example.com/c | sh && wget -nv https://example.com/d
RUN wget -o /tmp/log https://example.com/e && wget --no-verbose https://example.com/f
