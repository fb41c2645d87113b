FROM golang:1.22
# GOPATH mode fetches the default branch; module mode puts the newest release into go.mod.
RUN go get github.com/fogleman/nes
RUN go get -u golang.org/x/lint/golint honnef.co/go/tools/cmd/staticcheck@2023.1.7
# Floating module queries.
RUN go install golang.org/x/tools/gopls@latest && go install example.com/tool@main
RUN go run example.com/gen@master -out /tmp/x
