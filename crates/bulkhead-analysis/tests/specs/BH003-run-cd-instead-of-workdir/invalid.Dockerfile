FROM golang:1.22
COPY . /src
RUN cd /src && go build -o /out/app .
RUN --mount=type=cache,target=/root/.cache/go-build \
    cd /src/cmd && \
    go vet ./...
run cd /src/tools && go generate ./...
RUN cd build && make
ONBUILD RUN cd /src && make
