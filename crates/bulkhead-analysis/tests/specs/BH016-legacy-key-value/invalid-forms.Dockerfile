FROM alpine:3.20
ENV OPTS -Xmx1g MODE=prod
env GREETING hello world
ENV PATH /opt/bin:$PATH
ENV QUOTED "it's"  here
ONBUILD ENV CONF /etc/app
ENV MULTI \
    continued
