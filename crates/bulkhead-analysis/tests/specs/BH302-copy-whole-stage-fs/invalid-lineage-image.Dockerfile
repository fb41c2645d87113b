# The final stage is built FROM a stage that copied a whole image: it ships.
FROM debian:bookworm-slim AS base
copy --from=busybox:1.36 /. /opt/busybox/
ONBUILD COPY --from=builder /* /app/

FROM base
CMD ["/opt/busybox/bin/sh"]
