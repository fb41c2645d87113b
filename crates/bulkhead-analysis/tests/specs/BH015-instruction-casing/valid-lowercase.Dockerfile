# An all-lower-case file is consistent.
from alpine:3.20 as build
run apk add --no-cache make
from scratch
copy --from=build /usr/bin/make /make
