FROM alpine:3.20 AS context
RUN apk add --no-cache ca-certificates

FROM scratch
COPY --from=context /etc/ssl/certs /etc/ssl/certs
