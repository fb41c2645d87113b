FROM alpine:3.20
# `--update` without a removal of the cache keeps the index.
RUN apk add --update curl
# A removal before the install does not count: the install writes the index afterwards.
RUN rm -rf /var/cache/apk/* && apk add -U git
# A removal of some other folder does not count.
RUN apk add jq && rm -rf /var/cache/misc/*
