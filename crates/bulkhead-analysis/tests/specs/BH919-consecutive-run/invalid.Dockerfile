FROM debian:bookworm-slim
RUN curl -fsSLO https://example.com/tool.tgz
RUN tar -xzf tool.tgz -C /usr/local && rm tool.tgz
# a comment between
run echo one; \
    echo two
RUN --mount=type=cache,target=/root/.cache pip install a
RUN --mount=type=cache,target=/root/.cache pip install b
RUN sleep 1 &
RUN echo after
