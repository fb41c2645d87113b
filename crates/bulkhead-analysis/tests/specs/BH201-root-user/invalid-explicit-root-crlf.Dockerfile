ARG BASE=debian:bookworm-slim
FROM ${BASE}
RUN useradd -r -u 10001 svc
USER svc
RUN apt-get update
USER 0:0
CMD ["/usr/local/bin/app"]
