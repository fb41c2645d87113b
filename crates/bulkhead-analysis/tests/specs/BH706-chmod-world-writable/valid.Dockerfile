FROM debian:12-slim AS build
RUN mkdir /out && chmod 777 /out

FROM node:20-slim
# The sticky bit (shared folders), /tmp, and a temporary folder removed in the same step.
RUN chmod 1777 "$GEM_HOME" && chmod -R 1777 /var/www/html && chmod 777 /tmp
RUN tempDir="$(mktemp -d)" && chmod 777 "$tempDir" && cd "$tempDir" && true && rm -rf "$tempDir"
RUN chmod 755 /app && chmod -R g=u /app && chmod u+w /app && chmod +x /app/run
USER 1000
