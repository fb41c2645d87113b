FROM golang:1.22
WORKDIR /src
COPY . .
RUN <<EOF
set -e
go mod download
go build -o /usr/local/bin/app ./cmd/app
EOF
CMD ["app"]
