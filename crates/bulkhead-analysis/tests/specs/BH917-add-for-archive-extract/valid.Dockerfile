FROM debian:bookworm-slim
COPY app.tar.gz /srv/downloads/
RUN --mount=type=bind,source=other.tgz,target=/tmp/other.tgz tar -xzf /tmp/other.tgz -C /opt
COPY --from=builder /out/pkg.tar.gz /tmp/
RUN tar -xzf /tmp/pkg.tar.gz
