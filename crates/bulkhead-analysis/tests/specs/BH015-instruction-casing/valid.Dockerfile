FROM alpine:3.20 AS build
RUN apk add --no-cache make
COPY --from=build /usr/bin/make /usr/local/bin/
ONBUILD RUN make
