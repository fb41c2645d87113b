FROM alpine:3.20 AS context
RUN true

FROM scratch
  COPY \
    --from=context /etc/ssl/certs /etc/ssl/certs
