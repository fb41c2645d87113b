# In a build stage whose files are only copied from, a cd in the middle of a chain is a step of the recipe.
FROM golang:1.22 AS build
RUN go get example.com/tool || true && cd /go/src/example.com/tool && go build -o /out/tool .

FROM alpine:3.22
COPY --from=build /out/tool /usr/local/bin/tool
