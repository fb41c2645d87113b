FROM alpine:3.20
ENV PATH=/app/bin:$PATH
ENV A=1
ENV B=$A/x C='$B' D=\$A
ENV LEGACY value with $LEGACY
ENV E=$F F=2
