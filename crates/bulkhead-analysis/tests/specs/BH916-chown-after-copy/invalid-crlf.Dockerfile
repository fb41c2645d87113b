FROM alpine:3.20
COPY app /opt/app
RUN chown -R nobody:nobody /opt/app
