FROM golang:1.22
WORKDIR /src
COPY . .
# Without @version, go install and go run build what the module's go.mod requires.
RUN go install golang.org/x/tools/cmd/stringer && go install ./cmd/app && go install -v tool
RUN go run make.go && go run ./cmd/gen latest
RUN go install golang.org/x/tools/gopls@v0.16.1 example.com/x@2f3c1a9d && go get example.com/y@v1.2.3 example.com/z@none
RUN go get -d . && go mod download
RUN go run example.com/gen@v1.0.0 main
