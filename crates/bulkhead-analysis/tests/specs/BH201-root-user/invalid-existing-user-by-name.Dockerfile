# The file creates a user without a fixed UID: the fix switches to it by name (BH203 then asks for a UID).
FROM alpine:3.22
RUN adduser -S -D web
COPY app /usr/local/bin/app
CMD ["app"]
