# A comment ends the parser directives: BuildKit no longer reads the line below, nor does bulkhead.
# check=skip=all
FROM alpine:3.20 as build
RUN apk add --no-cache make
