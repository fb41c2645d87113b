ARG TOOLS_IMAGE
FROM golang:1.23 AS builder
RUN go build -o /out/app ./cmd/app

FROM gcr.io/distroless/static-debian12
COPY --from=builder /out/app /app
COPY --from=0 /out/app /app2
COPY --from=BUILDER /out/app /app3
COPY --from=nginx:1.27 /etc/nginx/nginx.conf /etc/
COPY --from=ghcr.io/org/tools@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef /bin/t /bin/t
COPY --from=${TOOLS_IMAGE} /bin/x /bin/x
RUN --mount=type=cache,target=/root/.cache --mount=type=bind,from=builder,target=/b true
ONBUILD COPY --from=child-stage /a /a
