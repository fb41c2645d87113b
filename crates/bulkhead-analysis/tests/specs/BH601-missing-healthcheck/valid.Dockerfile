FROM alpine:3.20 AS base
HEALTHCHECK --interval=30s CMD wget -q --spider http://127.0.0.1:8080/ || exit 1

FROM base
EXPOSE 8080
CMD ["app"]
