# git beside a compiler is listed with it.
FROM alpine:3.22
RUN apk add --no-cache git gcc musl-dev
CMD ["/app"]
