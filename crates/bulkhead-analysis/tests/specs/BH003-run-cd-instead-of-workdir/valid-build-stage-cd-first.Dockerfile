# A `cd` that starts a RUN in a build stage whose files are only copied from: a step of the build recipe.
FROM golang:1.24-alpine AS tools
RUN cd /go/src/example.com/tool && go build -o /out/tool .

FROM alpine:3.22
COPY --from=tools /out/tool /usr/local/bin/tool
USER 10001
CMD ["tool"]
