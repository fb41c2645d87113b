from alpine:3.20 AS builder
run apk add --no-cache make
Copy . /src
onbuild RUN make
workdir /src

from builder
cmd ["make"]
