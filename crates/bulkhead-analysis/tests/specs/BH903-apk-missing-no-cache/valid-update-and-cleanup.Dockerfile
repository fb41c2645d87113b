FROM alpine:3.20
# The index is removed in the same step, so the layer holds none: the older spelling of `--no-cache`.
RUN apk add --update curl \
      # a comment that stays
      ca-certificates && \
    rm -rf /var/cache/apk/*
RUN apk update && apk add -U git && rm -rf /var/cache/apk/*
	RUN apk --update-cache add jq; rm -rf /var/cache/apk/* /tmp/*
