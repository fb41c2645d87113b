FROM alpine:3.20 AS Base
RUN touch /one

FROM base AS tools
COPY --from=base /one /one

FROM debian:bookworm-slim AS BASE
RUN touch /two

FROM base AS final
COPY --from=Base /two /two
RUN --mount=type=bind,from=base,source=/two,target=/t cat /t
