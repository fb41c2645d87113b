FROM alpine:3.20
MAINTAINER Jane Doe \
# the owner
  <jane@example.com>
