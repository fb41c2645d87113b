FROM debian:bookworm-slim
RUN useradd -u 100000 -m app
RUN groupadd -g 65536 grp && useradd \
      # big UID
      --uid=65536 -g grp svc
ONBUILD RUN useradd -r -u123456 worker
run /usr/sbin/useradd --uid 2000000000 huge
