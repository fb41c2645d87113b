FROM alpine:3.20
MAINTAINER Jessica Frazelle <jess@linux.com>
FROM alpine:3.20
maintainer "Jane" $HOME \ team
